"""A failing backend: retries with exponential backoff, then `failed` after the last attempt."""

from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.utils import timezone

from liaison.notifications.models import Status
from liaison.notifications.services import enqueue

FAILING = "tests.notifications.conftest.FailingBackend"


def test_retries_back_off_then_give_up(db, settings):
    settings.NOTIFICATIONS_BACKEND = FAILING
    settings.NOTIFICATIONS_RETRY_SECONDS = 60
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    with time_machine.travel("2025-03-03 09:00 +0800", tick=False) as clock:
        note = enqueue("sms", "13812345678", "您的留言已受理。")

        call_command("worker", "--once")
        note.refresh_from_db()
        assert (note.status, note.attempts) == (Status.PENDING, 1)
        assert note.available_at == timezone.now() + timedelta(seconds=60)
        assert "gateway unreachable" in note.last_error

        call_command("worker", "--once")  # not due yet: no attempt
        note.refresh_from_db()
        assert note.attempts == 1

        clock.shift(timedelta(seconds=60))
        call_command("worker", "--once")
        note.refresh_from_db()
        assert (note.status, note.attempts) == (Status.PENDING, 2)
        assert note.available_at == timezone.now() + timedelta(seconds=120)  # doubled

        clock.shift(timedelta(seconds=120))
        call_command("worker", "--once")
        note.refresh_from_db()
        assert (note.status, note.attempts) == (Status.FAILED, 3)
        assert note.sent_at is None

        clock.shift(timedelta(days=1))
        call_command("worker", "--once")  # failed for good: never tried again
        note.refresh_from_db()
        assert (note.status, note.attempts) == (Status.FAILED, 3)


def test_a_retry_that_succeeds_is_sent_once(db, settings, outbox_file):
    settings.NOTIFICATIONS_RETRY_SECONDS = 60
    with time_machine.travel("2025-03-03 09:00 +0800", tick=False) as clock:
        note = enqueue("sms", "13812345678", "hello")
        settings.NOTIFICATIONS_BACKEND = FAILING
        call_command("worker", "--once")
        settings.NOTIFICATIONS_BACKEND = "file"
        clock.shift(timedelta(seconds=61))
        call_command("worker", "--once")
    note.refresh_from_db()
    assert (note.status, note.attempts, note.last_error) == (Status.SENT, 2, "")
    assert [line["attempt"] for line in outbox_file()] == [2]
