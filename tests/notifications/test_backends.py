"""Backend selection fails loudly; the console backend masks phone numbers (PIPL)."""

import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liaison.notifications.apps import check_backend
from liaison.notifications.models import Notification
from liaison.notifications.services import enqueue


def test_unknown_backend_stops_the_worker_at_start(db, settings):
    settings.NOTIFICATIONS_BACKEND = "carrier-pigeon"
    enqueue("sms", "13812345678", "x")
    with pytest.raises(CommandError, match="carrier-pigeon"):
        call_command("worker", "--once")
    assert Notification.objects.get().attempts == 0


def test_unimportable_backend_path_stops_the_worker(db, settings):
    settings.NOTIFICATIONS_BACKEND = "liaison.nowhere.SmsBackend"
    with pytest.raises(CommandError, match="cannot be imported"):
        call_command("worker", "--once")


def test_unknown_backend_is_a_system_check_error(settings):
    settings.NOTIFICATIONS_BACKEND = "nope"
    [error] = check_backend(None)
    assert error.id == "notifications.E001"
    settings.NOTIFICATIONS_BACKEND = "console"
    assert check_backend(None) == []


def test_console_backend_logs_the_message_with_a_masked_phone(db, settings, caplog):
    settings.NOTIFICATIONS_BACKEND = "console"
    enqueue("sms", "13812345678", "您的留言已受理。")
    with caplog.at_level(logging.INFO, logger="liaison"):
        call_command("worker", "--once")
    assert "您的留言已受理。" in caplog.text
    assert "138****5678" in caplog.text
    assert "13812345678" not in caplog.text


def test_email_recipients_are_masked_in_logs(db, settings, caplog):
    enqueue("email", "zhang.san@example.com", "hello")
    with caplog.at_level(logging.INFO, logger="liaison"):
        call_command("worker", "--once")
    assert "z***@example.com" in caplog.text
    assert "zhang.san" not in caplog.text
