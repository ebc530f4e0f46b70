"""The bookings' periodic jobs (run by `liaison worker`)."""

from datetime import timedelta

from liaison.core import jobs

from . import services

# The names from before the app was split out of receptions: each job's JobRun row (when it last
# ran) stays its own, and the worker's log and docs/appointments.md keep reading the same.


@jobs.register("receptions.send_appointment_reminders", interval=timedelta(minutes=30))
def send_appointment_reminders() -> str:
    """预约提醒: the day before a booked slot (written once per booking and day)."""
    return f"{services.send_reminders()} appointment reminders written"


@jobs.register("receptions.delete_unverified_appointments", interval=timedelta(hours=1))
def delete_unverified_appointments() -> str:
    """Bookings whose phone was never confirmed by the SMS code (PIPL: not kept)."""
    return f"{services.delete_unverified()} unconfirmed bookings deleted"
