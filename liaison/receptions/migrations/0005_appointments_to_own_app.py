# Bookings became their own app (liaison/appointments). State only: the tables
# receptions_appointment and receptions_appointmentcode and their rows stay where they are;
# appointments/migrations/0001_initial.py takes them over.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("receptions", "0004_appointments"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="appointmentcode", name="appointment"),
                migrations.DeleteModel(name="Appointment"),
                migrations.DeleteModel(name="AppointmentCode"),
            ],
            database_operations=[],
        ),
    ]
