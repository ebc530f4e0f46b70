"""Delivery backends: one interface, `send(notification)`, which returns on success and raises on
failure (the worker then retries with backoff).

`NOTIFICATIONS_BACKEND` is "console", "file" or the dotted path of a class with a `send` method
(an SMS gateway, an SMTP bridge). Never a no-op: a message that went nowhere must be visible.
"""

import json
import logging
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Notification

logger = logging.getLogger("liaison.notifications")


class Backend(Protocol):
    def send(self, notification: Notification) -> None: ...


class ConsoleBackend:
    """Writes each message to the log; the recipient is masked (PIPL)."""

    def send(self, notification: Notification) -> None:
        logger.info(
            "notification %s via %s to %s: %s%s",
            notification.pk,
            notification.channel,
            notification.masked_recipient,
            f"[{notification.subject}] " if notification.subject else "",
            notification.body,
        )


class FileBackend:
    """Appends one JSON line per message to `NOTIFICATIONS_FILE`: the delivery record, so it keeps
    the full recipient. The notification id goes with it, so a repeated delivery is recognisable."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path or settings.NOTIFICATIONS_FILE)

    def send(self, notification: Notification) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {
                "id": notification.pk,
                "channel": notification.channel,
                "recipient": notification.recipient,
                "subject": notification.subject,
                "body": notification.body,
                "dedupe_key": notification.dedupe_key,
                "attempt": notification.attempts,
                "delivered_at": timezone.now().isoformat(),
            },
            ensure_ascii=False,
        )
        with self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        logger.info(
            "notification %s via %s to %s written to %s",
            notification.pk,
            notification.channel,
            notification.masked_recipient,
            self.path,
        )


BUILTIN = {"console": ConsoleBackend, "file": FileBackend}


def get_backend(name: str | None = None) -> Backend:
    """The configured backend; an unknown name raises ImproperlyConfigured (fail at start)."""
    name = name if name is not None else settings.NOTIFICATIONS_BACKEND
    if name in BUILTIN:
        return BUILTIN[name]()
    if "." in name:
        try:
            backend_class = import_string(name)
        except ImportError as error:
            raise ImproperlyConfigured(
                f"NOTIFICATIONS_BACKEND={name!r} cannot be imported: {error}"
            ) from error
        return backend_class()
    raise ImproperlyConfigured(
        f"NOTIFICATIONS_BACKEND={name!r} is unknown: use one of {', '.join(sorted(BUILTIN))} "
        "or the dotted path of a backend class."
    )
