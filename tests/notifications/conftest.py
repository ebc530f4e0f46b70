import json

import pytest


class FailingBackend:
    """A gateway that is down."""

    def send(self, notification):
        raise ConnectionError("gateway unreachable")


@pytest.fixture
def outbox_file(settings, tmp_path):
    """Deliver through the file backend into a fresh file; returns a reader of its lines."""
    settings.NOTIFICATIONS_BACKEND = "file"
    settings.NOTIFICATIONS_FILE = tmp_path / "out" / "notifications.jsonl"

    def lines():
        if not settings.NOTIFICATIONS_FILE.exists():
            return []
        text = settings.NOTIFICATIONS_FILE.read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines()]

    return lines
