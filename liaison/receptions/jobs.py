"""The receptions' periodic jobs (run by `liaison worker`)."""

from datetime import timedelta

from liaison.core import jobs

from . import duty_reminders


@jobs.register("receptions.send_duty_reminders", interval=timedelta(minutes=30))
def send_duty_reminders() -> str:
    """值班提醒: the day before and the morning of a reception (written once each)."""
    return f"{duty_reminders.send_duty_reminders()} duty reminders written"
