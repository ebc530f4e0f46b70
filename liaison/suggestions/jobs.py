"""Periodic jobs of the suggestions (run by `liaison worker`); each message once (dedupe keys)."""

from datetime import timedelta

from liaison.core import jobs

from . import reminders


@jobs.register("suggestions.send_reminders", interval=timedelta(hours=1))
def send_reminders() -> str:
    return f"{reminders.send_reminders()} suggestion reminders written"
