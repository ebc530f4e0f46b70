"""A worker killed mid-send: its claimed rows come back after the lease, not before."""

import uuid
from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.utils import timezone

from liaison.notifications.models import Notification, Status
from liaison.notifications.services import claim_due, lease, send_one


def _stuck(claimed_minutes_ago: int) -> Notification:
    return Notification.objects.create(
        channel="sms",
        recipient="13812345678",
        body="stuck",
        status=Status.SENDING,
        attempts=1,
        claimed_at=timezone.now() - timedelta(minutes=claimed_minutes_ago),
        claim_token=uuid.uuid4(),
    )


def test_an_expired_lease_is_claimed_again_and_delivered(db, outbox_file):
    note = _stuck(claimed_minutes_ago=int(lease().total_seconds() // 60) + 1)
    call_command("worker", "--once")
    note.refresh_from_db()
    assert (note.status, note.attempts) == (Status.SENT, 2)
    assert len(outbox_file()) == 1


def test_the_lease_is_the_setting(db, outbox_file, settings):
    settings.NOTIFICATIONS_LEASE_SECONDS = 30
    note = Notification.objects.create(
        channel="sms",
        recipient="13812345678",
        body="stuck",
        status=Status.SENDING,
        attempts=1,
        claimed_at=timezone.now() - timedelta(seconds=20),
        claim_token=uuid.uuid4(),
    )
    assert claim_due() == []  # 20 s into a 30 s lease
    Notification.objects.filter(pk=note.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=31)
    )
    assert [n.pk for n in claim_due()] == [note.pk]


def test_a_live_lease_is_left_alone(db, outbox_file):
    note = _stuck(claimed_minutes_ago=1)
    call_command("worker", "--once")
    note.refresh_from_db()
    assert note.status == Status.SENDING
    assert outbox_file() == []


def test_a_late_worker_does_not_overwrite_the_row_another_worker_took_over(db, outbox_file):
    from liaison.notifications.backends import FileBackend

    with time_machine.travel("2025-03-03 09:00 +0800", tick=False) as clock:
        Notification.objects.create(channel="sms", recipient="13812345678", body="x")
        [slow] = claim_due()  # worker A claims, then hangs
        clock.shift(lease() + timedelta(seconds=1))
        [fast] = claim_due()  # worker B takes it over and delivers
        assert send_one(fast, FileBackend())
        clock.shift(timedelta(seconds=1))
        send_one(slow, FileBackend())  # worker A wakes up and sends too (at least once) …
    slow.refresh_from_db()
    assert slow.status == Status.SENT
    assert slow.attempts == 2  # … but records nothing over B's outcome
    assert [line["id"] for line in outbox_file()] == [slow.pk, slow.pk]
