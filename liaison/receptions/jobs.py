"""The receptions' periodic jobs (run by `liaison worker`)."""

from datetime import timedelta

from liaison.core import jobs

from . import duty_reminders


@jobs.register("receptions.send_duty_reminders", interval=timedelta(minutes=30))
def send_duty_reminders() -> str:
    """值班提醒: the day before and the morning of a reception (written once each)."""
    return f"{duty_reminders.send_duty_reminders()} duty reminders written"


@jobs.register("receptions.send_appointment_reminders", interval=timedelta(minutes=30))
def send_appointment_reminders() -> str:
    """预约提醒: the day before a booked slot (written once per booking and day)."""
    from . import appointments

    return f"{appointments.send_reminders()} appointment reminders written"


@jobs.register("receptions.delete_unverified_appointments", interval=timedelta(hours=1))
def delete_unverified_appointments() -> str:
    """Bookings whose phone was never confirmed by the SMS code (PIPL: not kept)."""
    from . import appointments

    return f"{appointments.delete_unverified()} unconfirmed bookings deleted"
