"""enqueue: the outbox row, and "nothing is sent twice" through dedupe_key."""

import pytest
from django.db import transaction

from liaison.notifications.models import Notification, Status
from liaison.notifications.services import enqueue


def test_enqueue_creates_a_pending_row(db):
    note = enqueue("sms", "13812345678", "您有一条新留言")
    assert note.status == Status.PENDING
    assert note.attempts == 0
    assert note.dedupe_key is None


def test_the_same_dedupe_key_returns_the_existing_row(db):
    with transaction.atomic():
        first = enqueue("sms", "13812345678", "提醒：明天到期", dedupe_key="case:1:due:2025-03-03")
        second = enqueue("sms", "13812345678", "提醒：明天到期", dedupe_key="case:1:due:2025-03-03")
    assert second.pk == first.pk
    assert Notification.objects.count() == 1


def test_dedupe_holds_after_the_first_was_sent(db, outbox_file):
    from django.core.management import call_command

    enqueue("sms", "13812345678", "提醒", dedupe_key="k1")
    call_command("worker", "--once")
    again = enqueue("sms", "13812345678", "提醒", dedupe_key="k1")
    call_command("worker", "--once")
    assert again.status == Status.SENT
    assert len(outbox_file()) == 1


def test_without_a_key_every_enqueue_is_a_new_message(db):
    enqueue("in_app", "7", "a")
    enqueue("in_app", "7", "a")
    enqueue("in_app", "7", "a", dedupe_key="")  # an empty key means no key
    assert Notification.objects.count() == 3


@pytest.mark.parametrize(
    ("channel", "recipient", "body"),
    [("fax", "13812345678", "x"), ("sms", "", "x"), ("sms", "13812345678", "")],
)
def test_bad_input_is_refused_and_nothing_is_stored(db, channel, recipient, body):
    with pytest.raises(ValueError):
        enqueue(channel, recipient, body)
    assert not Notification.objects.exists()
