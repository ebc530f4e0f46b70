"""The daily job deletes delivered notifications older than NOTIFICATIONS_KEEP_DAYS, only those."""

from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.utils import timezone

from liaison.notifications.models import Notification, Status
from liaison.notifications.services import enqueue


def test_old_delivered_notifications_are_pruned(db, settings, outbox_file):
    settings.NOTIFICATIONS_KEEP_DAYS = 30
    with time_machine.travel("2025-01-01 09:00 +0800", tick=False) as clock:
        old = enqueue("sms", "13812345678", "old")
        call_command("worker", "--once")
        failed = Notification.objects.create(
            channel="sms", recipient="13812345678", body="failed", status=Status.FAILED
        )
        clock.shift(timedelta(days=20))
        recent = enqueue("sms", "13812345678", "recent")
        call_command("worker", "--once")
        waiting = enqueue(
            "sms", "13812345678", "waiting", available_at=timezone.now() + timedelta(days=365)
        )
        clock.shift(timedelta(days=11))  # old is 31 days old, recent 11
        call_command("worker", "--once")
    remaining = set(Notification.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert {recent.pk, failed.pk, waiting.pk} <= remaining
