"""enqueue → `liaison worker --once` → one JSON line in the delivery file, and only one."""

from datetime import timedelta

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from liaison.notifications.models import Notification, Status
from liaison.notifications.services import enqueue


def test_worker_delivers_a_queued_sms_through_the_file_backend(db, outbox_file):
    with transaction.atomic():
        note = enqueue("sms", "13812345678", "您的留言已受理。", subject="受理通知")

    call_command("worker", "--once")

    [line] = outbox_file()
    assert line["id"] == note.pk
    assert line["channel"] == "sms"
    assert line["recipient"] == "13812345678"  # the delivery record keeps the full number
    assert line["body"] == "您的留言已受理。"
    assert line["subject"] == "受理通知"
    note.refresh_from_db()
    assert note.status == Status.SENT
    assert note.sent_at is not None
    assert note.attempts == 1
    assert note.claim_token is None


def test_a_second_pass_sends_nothing_again(db, outbox_file):
    enqueue("email", "citizen@example.com", "hello")
    call_command("worker", "--once")
    call_command("worker", "--once")
    assert len(outbox_file()) == 1


def test_notifications_not_yet_due_wait(db, outbox_file):
    later = enqueue("sms", "13812345678", "later", available_at=timezone.now() + timedelta(hours=1))
    call_command("worker", "--once")
    assert outbox_file() == []
    later.refresh_from_db()
    assert later.status == Status.PENDING
    assert later.attempts == 0


def test_a_full_batch_does_not_leave_the_rest_for_the_next_pass(db, outbox_file):
    Notification.objects.bulk_create(
        Notification(channel="email", recipient=f"u{i}@example.org", body=f"message {i}")
        for i in range(7)
    )
    call_command("worker", "--once", "--batch", "3")
    assert len(outbox_file()) == 7
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}
