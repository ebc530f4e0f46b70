"""The case workflow's periodic jobs (run by `liaison worker`).

The reminder jobs may run as often as we like: each message is written once per step and deadline
(see liaison/cases/reminders.py), so the interval only decides how soon after a step becomes due
soon, or overdue, the message goes out.
"""

from datetime import timedelta

from liaison.core import jobs

from . import reminders, services


@jobs.register("cases.auto_close_unrated", interval=timedelta(hours=1))
def auto_close_unrated() -> str:
    return f"{services.auto_close_unrated()} unrated cases closed"


@jobs.register("cases.send_reminders", interval=timedelta(minutes=15))
def send_reminders() -> str:
    return f"{reminders.send_reminders()} reminders written"


@jobs.register("cases.escalate_overdue", interval=timedelta(minutes=15))
def escalate_overdue() -> str:
    return f"{reminders.escalate_overdue()} overdue steps escalated"


@jobs.register("cases.send_deputy_digests", interval=timedelta(hours=1))
def send_deputy_digests() -> str:
    return f"{reminders.send_digests()} deputy digests written"


@jobs.register("cases.delete_unverified", interval=timedelta(hours=1))
def delete_unverified() -> str:
    """Online messages whose phone was never confirmed by the SMS code (PIPL: not kept)."""
    from . import verification

    return f"{verification.delete_unverified()} unconfirmed messages deleted"
