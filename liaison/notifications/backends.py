"""Delivery backends: one interface, `send(notification)`, which returns on success (with the
gateway's message ID where it gives one) and raises on failure: `PermanentFailure` when retrying
cannot help (the number or the text is refused), anything else to be retried with backoff.

Each channel has its backend: `LIAISON_SMS_BACKEND` (console, file, tencentcloud, aliyun),
`LIAISON_EMAIL_BACKEND` (console, file, django = Django's EMAIL_BACKEND, SMTP by default), both
defaulting to `NOTIFICATIONS_BACKEND`; a dotted path names any class with a `send` method. Inbox
notices need none: they are in the inbox when they are written. Never a no-op: a message that
went nowhere must be visible.
"""

import json
import logging
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Channel, Notification

logger = logging.getLogger("liaison.notifications")


class PermanentFailure(Exception):
    """The gateway refused this message for good (a wrong or blocked number, a text it will not
    send): the outbox marks it dead and shows it to staff instead of retrying."""


class Backend(Protocol):
    def send(self, notification: Notification) -> str | None: ...


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


class InboxBackend:
    """An inbox notice is delivered by being in the table the inbox reads; `enqueue` writes it
    as sent already. This takes the rows written otherwise (older code, the admin)."""

    def send(self, notification: Notification) -> None:
        logger.info(
            "notification %s is in the inbox of account %s", notification.pk, notification.recipient
        )


class DjangoMailBackend:
    """E-mail through Django's EMAIL_BACKEND (SMTP with EMAIL_HOST … in production)."""

    def send(self, notification: Notification) -> None:
        mail.send_mail(
            notification.subject or notification.body[:60],
            notification.body,
            None,  # DEFAULT_FROM_EMAIL
            [notification.recipient],
        )


BUILTIN = {
    "console": ConsoleBackend,
    "file": FileBackend,
    "django": DjangoMailBackend,
    "tencentcloud": "liaison.notifications.gateways.TencentCloudSmsBackend",
    "aliyun": "liaison.notifications.gateways.AliyunSmsBackend",
    "wechat": "liaison.notifications.wechat.WeChatBackend",
}


def backend_name(channel: str | None) -> str:
    own = {
        Channel.SMS: settings.SMS_BACKEND,
        Channel.EMAIL: settings.EMAIL_NOTIFICATIONS_BACKEND,
        Channel.WECHAT: "wechat" if settings.WECHAT_APP_ID else "",
    }
    return own.get(channel) or settings.NOTIFICATIONS_BACKEND


def backends() -> dict[str, Backend]:
    """One backend per channel."""
    channels = (Channel.SMS, Channel.EMAIL, Channel.WECHAT)
    outside = {channel: get_backend(backend_name(channel)) for channel in channels}
    return {**outside, Channel.IN_APP: InboxBackend()}


def get_backend(name: str | None = None) -> Backend:
    """The configured backend; an unknown name raises ImproperlyConfigured (fail at start)."""
    name = name if name is not None else settings.NOTIFICATIONS_BACKEND
    builtin = BUILTIN.get(name)
    if isinstance(builtin, str):
        name = builtin
    elif builtin is not None:
        return builtin()
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
