# The bookings split out of liaison/receptions. State only: the tables keep their names
# (db_table) and their rows; receptions/migrations/0005 hands them over.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("directory", "0003_category_handling_days"),
        ("receptions", "0005_appointments_to_own_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Appointment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("date", models.DateField(verbose_name="date")),
                        ("start_time", models.TimeField(verbose_name="from")),
                        ("end_time", models.TimeField(verbose_name="until")),
                        ("reception_start", models.TimeField(verbose_name="reception starts")),
                        ("topic", models.CharField(max_length=200, verbose_name="topic")),
                        ("name", models.CharField(max_length=50, verbose_name="name")),
                        ("phone", models.CharField(max_length=20, verbose_name="phone")),
                        (
                            "code",
                            models.CharField(
                                max_length=8, unique=True, verbose_name="booking code"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Phone not confirmed"),
                                    ("booked", "Booked"),
                                    ("confirmed", "Confirmed by the station"),
                                    ("cancelled", "Cancelled"),
                                    ("no_show", "Did not come"),
                                    ("attended", "Received"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "language",
                            models.CharField(blank=True, max_length=10, verbose_name="language"),
                        ),
                        (
                            "cancel_reason",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="reason for cancelling"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "verified_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="phone confirmed at"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="changed at"),
                        ),
                        (
                            "deputy",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="appointments",
                                to="directory.deputy",
                                verbose_name="deputy",
                            ),
                        ),
                        (
                            "station",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="appointments",
                                to="directory.station",
                                verbose_name="station",
                            ),
                        ),
                        (
                            "visit",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="appointment",
                                to="receptions.visit",
                                verbose_name="visit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "appointment",
                        "verbose_name_plural": "appointments",
                        "db_table": "receptions_appointment",
                        "ordering": ["date", "start_time", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="AppointmentCode",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code_hash",
                            models.CharField(max_length=64, verbose_name="code (hashed)"),
                        ),
                        (
                            "attempts",
                            models.PositiveSmallIntegerField(
                                default=0, verbose_name="wrong attempts"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="sent at"),
                        ),
                        ("expires_at", models.DateTimeField(verbose_name="expires at")),
                        (
                            "used_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="used at"),
                        ),
                        (
                            "appointment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="phone_codes",
                                to="appointments.appointment",
                                verbose_name="appointment",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "booking code",
                        "verbose_name_plural": "booking codes",
                        "db_table": "receptions_appointmentcode",
                        "ordering": ["appointment", "-created_at", "-id"],
                    },
                ),
                migrations.AddIndex(
                    model_name="appointment",
                    index=models.Index(
                        fields=["station", "date", "start_time"],
                        name="receptions__station_84500a_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="appointment",
                    index=models.Index(
                        fields=["status", "date"], name="receptions__status_2f8c21_idx"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
