"""The delivery counts of the last 7 days per channel and status: one query, older rows left out."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from liaison.notifications.models import Notification, Status
from liaison.notifications.selectors import recent_counts


def _row(channel, status, *, age=timedelta(0)):
    note = Notification.objects.create(
        channel=channel, recipient="13812345678", body="x", status=status
    )
    # created_at is auto_now_add: age it afterwards.
    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - age)
    return note


def test_counts_per_channel_and_status_of_the_last_7_days(db, django_assert_num_queries):
    with time_machine.travel("2025-03-10 09:00 +0800", tick=False):
        _row("sms", Status.PENDING)
        _row("sms", Status.SENDING)
        _row("sms", Status.SENT, age=timedelta(days=6, hours=23))
        _row("sms", Status.DELIVERED)
        _row("sms", Status.DELIVERED)
        _row("sms", Status.FAILED)
        _row("sms", Status.DEAD)
        _row("email", Status.FAILED)
        _row("sms", Status.DEAD, age=timedelta(days=7, minutes=1))  # too old
        _row("email", Status.SENT, age=timedelta(days=30))  # too old
        with django_assert_num_queries(1):
            counts = {row.channel: row for row in recent_counts()}
    sms, email, inbox = counts["sms"], counts["email"], counts["in_app"]
    assert (sms.queued, sms.sent, sms.delivered, sms.failed, sms.dead) == (2, 1, 2, 1, 1)
    assert (email.queued, email.sent, email.failed, email.dead) == (0, 0, 1, 0)
    assert (inbox.queued, inbox.sent) == (0, 0)


def test_the_counts_are_on_the_page(client, accounts):
    _row("sms", Status.DEAD)
    _row("sms", Status.DEAD, age=timedelta(days=8))
    client.force_login(accounts.administrator)
    text = client.get("/staff/outbox/").text
    row = text[text.index('id="recent-sms"') :]
    row = row[: row.index("</tr>")]
    assert [cell.split("<")[0] for cell in row.split("<td>")[1:]] == ["0", "0", "0", "0", "1"]
