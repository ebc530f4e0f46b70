"""三个一 reminders (run by `liaison worker`).

From the 20th of a month, deputies with no contact with voters yet that month; in the last month
of a quarter, those with no activity yet that quarter; from 1 November, those without the annual
report to voters. Each reminder goes once per deputy account, period and address: its
`dedupe_key` names the period (records:contact:<deputy>:2026-03:…), so the job may run hourly.
Only deputies with an active account are reminded (in the app, and by e-mail if the account has
an address), as the case reminders address staff (liaison/cases/reminders.py).
"""

from datetime import date, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from liaison.accounts.models import Role, User
from liaison.core import jobs
from liaison.notifications.models import Notification
from liaison.notifications.services import addresses, enqueue

from . import three

BATCH = 500


def due_reminders(progress: three.Progress, on: date) -> list[tuple[str, str]]:
    """(period key, message) for each 三个一 reminder this deputy should have by `on`."""
    wanted = []
    month, quarter = on.month, three.quarter_of(on.month)
    if progress.month_state(month) == three.LATE:
        wanted.append(
            (
                f"contact:{on.year}-{month:02d}",
                gettext(
                    "Three ones: you have no contact with voters recorded for %(month)s yet. "
                    "A reception duty, a visit, an answered case, an activity or a confirmed "
                    "entry counts."
                )
                % {"month": f"{on.year}-{month:02d}"},
            )
        )
    if progress.quarter_state(quarter) == three.LATE:
        wanted.append(
            (
                f"activity:{on.year}-Q{quarter}",
                gettext(
                    "Three ones: you have no activity recorded for quarter %(quarter)s of "
                    "%(year)s yet."
                )
                % {"quarter": quarter, "year": on.year},
            )
        )
    if progress.report_state == three.LATE:
        wanted.append(
            (
                f"report:{on.year}",
                gettext(
                    "Three ones: your annual report to voters for %(year)s has not taken place yet."
                )
                % {"year": on.year},
            )
        )
    return wanted


def send_three_ones_reminders(on: date | None = None) -> int:
    """Write the due reminders not yet in the outbox; return how many were written."""
    on = on or three.today()
    if on.day < three.CONTACT_REMINDER_DAY and on.month % 3 and on.month < 11:
        return 0  # nothing can be late yet: skip the queries
    accounts = User.objects.filter(
        role=Role.DEPUTY, is_active=True, deputy__isnull=False, deputy__is_active=True
    ).order_by("pk")
    written, after = 0, 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Three ones reminder")
        while True:
            users = list(accounts.filter(pk__gt=after)[:BATCH])
            if not users:
                return written
            after = users[-1].pk
            found = three.progress_for({u.deputy_id for u in users}, on.year, on=on)
            messages = [
                (
                    f"records:{period}:{user.deputy_id}:{channel}:{recipient}",
                    channel,
                    recipient,
                    body,
                )
                for user in users
                for period, body in due_reminders(found[user.deputy_id], on)
                for channel, recipient in addresses(user)
            ]
            known = set(
                Notification.objects.filter(dedupe_key__in=[m[0] for m in messages]).values_list(
                    "dedupe_key", flat=True
                )
            )
            for key, channel, recipient, body in messages:
                if key not in known:
                    enqueue(channel, recipient, body, subject=subject, dedupe_key=key)
                    written += 1


@jobs.register("records.three_ones_reminders", interval=timedelta(hours=1))
def three_ones_reminders() -> str:
    return f"{send_three_ones_reminders()} 三个一 reminders written"
