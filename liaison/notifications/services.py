"""Putting messages into the outbox, and the worker's side of it: claim, send, record.

Delivery guarantee — AT LEAST ONCE, on purpose. A worker marks its rows `sending` (with a lease)
and commits before it talks to the gateway; only then does it send, and afterwards it records the
result. If it dies between "the gateway accepted" and "we recorded it", the lease runs out and
another worker sends the row again. The alternative (at most once: give up on expired leases)
would silently lose a reminder whose deadline matters, while a rare duplicate SMS is merely
annoying. The window is one network round trip; the file backend records the notification id so
a repeat is recognisable, and gateway backends should pass `notification.pk` as their idempotency
key where the gateway supports one. Logical duplicates ("the same reminder enqueued twice") are
ruled out by `dedupe_key`, which is unique.
"""

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from asgiref.local import Local
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from liaison.core import audit
from liaison.core.permissions import require
from liaison.core.phones import MOBILE_RE, normalize_phone

from . import inbox, sms
from .backends import Backend, PermanentFailure
from .models import UNDELIVERED, Channel, Notification, Status

logger = logging.getLogger("liaison.notifications")


def lease() -> timedelta:
    """How long a claim holds (NOTIFICATIONS_LEASE_SECONDS). A send must finish (or time out)
    well within it, or a second worker may start it too (settings refuse a shorter one)."""
    return timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)


MAX_BACKOFF = timedelta(hours=6)


def enqueue(
    channel: str,
    recipient: str,
    body: str,
    *,
    subject: str = "",
    dedupe_key: str | None = None,
    available_at=None,
    link: str = "",
) -> Notification:
    """Add a message to the outbox. Call it inside the transaction of the change that causes it.
    SMS go through `enqueue_sms` (a gateway sends templates only). An inbox notice is delivered
    by being written.

    With a `dedupe_key` that is already in the outbox, return that row and create nothing.
    """
    if channel not in Channel.values:
        raise ValueError(f"Unknown notification channel {channel!r}.")
    if not recipient or not body:
        raise ValueError("A notification needs a recipient and a text.")
    return _create(
        _row(
            channel,
            recipient,
            body,
            subject=subject,
            dedupe_key=dedupe_key,
            available_at=available_at,
            link=link,
        )
    )


def enqueue_sms(
    phone: str, kind: str, params: dict, *, dedupe_key: str | None = None, available_at=None
) -> Notification:
    """A text message of one kind (liaison/notifications/sms.py), rendered in the active language;
    its parameters are cut to what gateways accept."""
    return _create(sms_row(phone, kind, params, dedupe_key=dedupe_key, available_at=available_at))


def quiet_until(moment: datetime) -> datetime:
    """No SMS to staff at night (LIAISON_SMS_QUIET_HOURS, 22:00–07:00 by default): a text
    written then waits in the outbox until the morning. Citizens' codes are never held."""
    start, end = (time.fromisoformat(t) for t in settings.SMS_QUIET_HOURS)
    local = timezone.localtime(moment)
    if start <= end:
        quiet = start <= local.time() < end
    else:
        quiet = local.time() >= start or local.time() < end
    if not quiet:
        return moment
    morning = datetime.combine(local.date(), end, tzinfo=local.tzinfo)
    return morning if morning > local else morning + timedelta(days=1)


def addresses(user) -> list[tuple[str, str]]:
    """Where an account is told of a notice: its inbox; its e-mail address when it has one and
    wants each notice by e-mail (not only the daily digest); WeChat when it is switched on and the
    account has an openid."""
    found = [(Channel.IN_APP, str(user.pk))]
    if user.email and user.email_notices and not user.daily_digest:
        found.append((Channel.EMAIL, user.email))
    if settings.WECHAT_APP_ID and user.wechat_openid:
        found.append((Channel.WECHAT, user.wechat_openid))
    return found


def tell_accounts(users, key: str, subject: str, body: str, *, link: str = "", sms=None) -> list:
    """Tell staff or deputy accounts, each once per `key`, at their `addresses`; and, with
    `sms=(kind, params)`, by SMS when the account has a mobile and takes urgent texts. Returns
    those told."""
    told = {u.pk: u for u in users if u is not None and u.is_active}
    rows = []
    for user in told.values():
        user_key = f"{key}:{user.pk}"
        for channel, recipient in addresses(user):
            text = f"{body}\n{staff_url(link)}" if link and channel == Channel.EMAIL else body
            dedupe_key = user_key if channel == Channel.IN_APP else f"{user_key}:{channel}"
            rows.append(
                _row(
                    channel,
                    recipient,
                    text,
                    subject=subject,
                    link=link,
                    dedupe_key=dedupe_key,
                    available_at=None,
                )
            )
        phone = normalize_phone(user.phone)
        if sms and user.sms_notices and MOBILE_RE.match(phone):
            kind, params = sms
            rows.append(sms_row(phone, kind, params, dedupe_key=f"{user_key}:sms"))
    # Every notice of one step in one INSERT: a step told to a dozen people is one round trip.
    insert_rows(rows)
    return list(told.values())


def send_digests(now=None) -> int:
    """The daily digest (每日汇总) for accounts that chose it: one e-mail with the subjects of
    the last day's notices, at most once a day. Returns how many were written."""
    now = now or timezone.now()
    since, day = now - timedelta(days=1), timezone.localdate(now).isoformat()
    written = 0
    readers = get_user_model().objects.filter(is_active=True, daily_digest=True).exclude(email="")
    for user in readers.order_by("pk"):
        subjects = list(
            Notification.objects.filter(
                channel=Channel.IN_APP, recipient=str(user.pk), created_at__gte=since
            )
            .order_by("created_at")
            .values_list("subject", flat=True)[:100]
        )
        if not subjects:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = gettext("Your notices of the day (%(count)d)") % {"count": len(subjects)}
        body = (
            "\n".join(f"- {s}" for s in subjects)
            + f"\n\n{staff_url(reverse('notifications:inbox'))}"
        )
        key = f"digest:{user.pk}:{day}"
        if not Notification.objects.filter(dedupe_key=key).exists():
            enqueue(Channel.EMAIL, user.email, body, subject=subject, dedupe_key=key)
            written += 1
    return written


def staff_url(path: str = "") -> str:
    """An address on this site for a message (SITE_URL + path; the staff workspace by default)."""
    return settings.SITE_URL + (path or reverse("accounts:home"))


def _row(channel, recipient, body, *, dedupe_key, available_at, **fields) -> Notification:
    """An outbox row, not yet saved."""
    now = timezone.now()
    if channel == Channel.IN_APP:
        fields.update(status=Status.SENT, sent_at=now)
    return Notification(
        channel=channel,
        recipient=recipient,
        body=body,
        dedupe_key=dedupe_key or None,
        available_at=available_at or now,
        **fields,
    )


def _create(row: Notification) -> Notification:
    if row.channel == Channel.IN_APP:
        inbox.changed([row.recipient])
    if row.dedupe_key is None:
        row.save(force_insert=True)
        return row
    existing = Notification.objects.filter(dedupe_key=row.dedupe_key).first()
    if existing is not None:
        return existing
    # ON CONFLICT DO NOTHING, then the row under the key, whoever wrote it: of two workers
    # queueing the same key at once one row is kept. Not save(): the partitioned outbox on
    # PostgreSQL (docs/scaling.md) skips a row whose key another transaction just took (a
    # trigger), and save()'s INSERT … RETURNING fails when no row comes back.
    Notification.objects.bulk_create([row], ignore_conflicts=True)
    return Notification.objects.get(dedupe_key=row.dedupe_key)


def sms_row(
    phone: str, kind: str, params: dict, *, dedupe_key: str | None = None, available_at=None
) -> Notification:
    """What `enqueue_sms` writes, unsaved, for `insert_rows`."""
    params = sms.prepare(kind, params)
    if sms.template(kind).to_staff:
        available_at = quiet_until(available_at or timezone.now())
    return _row(
        Channel.SMS,
        phone,
        sms.render(kind, params),
        template=kind,
        params=params,
        dedupe_key=dedupe_key,
        available_at=available_at,
    )


_held = Local()


@contextmanager
def one_insert():
    """The rows given to `insert_rows` inside are written when it ends, in one INSERT: a new
    message's notices to the station's staff and its SMS to the citizen are one round trip."""
    if getattr(_held, "rows", None) is not None:  # the outermost one writes them
        yield
        return
    _held.rows = []
    try:
        yield
        rows = _held.rows
    finally:
        _held.rows = None
    insert_rows(rows)


def insert_rows(rows: Iterable[Notification]) -> None:
    """Outbox rows of one change in one INSERT, on the hot paths (a new case and its notices):
    no read of the keys first and no savepoint, because a row whose `dedupe_key` is already
    in the outbox is simply not inserted (ON CONFLICT DO NOTHING). Unlike `enqueue`, nothing
    comes back."""
    rows = list(rows)
    held = getattr(_held, "rows", None)
    if held is not None:
        held.extend(rows)
    elif rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        inbox.changed([row.recipient for row in rows if row.channel == Channel.IN_APP])


def _claimable(now) -> Q:
    due = Q(status=Status.PENDING, available_at__lte=now)
    # A worker that died mid-send leaves its rows `sending`; once the lease is over they are due.
    abandoned = Q(status=Status.SENDING, claimed_at__lt=now - lease())
    return due | abandoned


def claim_due(limit: int = 50) -> list[Notification]:
    """Take up to `limit` due notifications for this worker alone.

    On PostgreSQL, FOR UPDATE SKIP LOCKED lets concurrent workers take disjoint rows without
    waiting for each other. SQLite ignores it, but its transactions (BEGIN IMMEDIATE, see
    settings) already admit one writer at a time, so the same code is safe there. The update is
    conditional on the row still being claimable as a second line of defence.
    """
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(_claimable(now))
            .order_by("available_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return []
        Notification.objects.filter(_claimable(now), id__in=ids).update(
            status=Status.SENDING,
            claimed_at=now,
            claim_token=token,
            # Counted at claim time, so that a row that kills its worker still runs out of tries.
            attempts=F("attempts") + 1,
        )
    return list(Notification.objects.filter(claim_token=token).order_by("available_at", "id"))


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: base, 2×base, 4×base … capped."""
    base = timedelta(seconds=settings.NOTIFICATIONS_RETRY_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def _finish(notification: Notification, **fields) -> bool:
    # Only the holder of the claim may record the outcome: after a lease expired and another
    # worker took the row over, the late first worker must not overwrite the newer state.
    return bool(
        Notification.objects.filter(
            pk=notification.pk, status=Status.SENDING, claim_token=notification.claim_token
        ).update(claimed_at=None, claim_token=None, **fields)
    )


def send_one(notification: Notification, backend: Backend) -> bool:
    """Send one claimed notification and record the outcome. True if it was delivered."""
    try:
        message_id = backend.send(notification)
    except PermanentFailure as refused:
        _finish(notification, status=Status.DEAD, last_error=str(refused)[:2000])
        logger.error(
            "notification %s to %s refused for good: %s",
            notification.pk,
            notification.masked_recipient,
            refused,
        )
        return False
    except Exception as error:  # any backend failure is a failed attempt, never a crash
        message = f"{type(error).__name__}: {error}"[:2000]
        if notification.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            _finish(notification, status=Status.FAILED, last_error=message)
            logger.error(
                "notification %s to %s failed for good after %s attempts: %s",
                notification.pk,
                notification.masked_recipient,
                notification.attempts,
                message,
            )
        else:
            delay = backoff(notification.attempts)
            _finish(
                notification,
                status=Status.PENDING,
                available_at=timezone.now() + delay,
                last_error=message,
            )
            logger.warning(
                "notification %s to %s failed (attempt %s), retrying in %s: %s",
                notification.pk,
                notification.masked_recipient,
                notification.attempts,
                delay,
                message,
            )
        return False
    _finish(
        notification,
        status=Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        provider_message_id=str(message_id or "")[:100],
    )
    return True


def release(notifications: Iterable[Notification]) -> int:
    """Give claimed but unsent rows back (a worker stopping politely), without using a try."""
    released = 0
    for notification in notifications:
        released += _finish(notification, status=Status.PENDING, attempts=F("attempts") - 1)
    return released


def deliver_due(
    backend: Backend | Mapping[str, Backend],
    *,
    limit: int = 50,
    should_stop: Callable[[], bool] = lambda: False,
) -> tuple[int, int]:
    """One batch: claim, send, record. `backend` is one for all channels or one per channel
    (`backends.backends()`). Returns (sent, failed attempts)."""
    by_channel = backend if isinstance(backend, Mapping) else defaultdict(lambda: backend)
    claimed = claim_due(limit)
    sent = failed = 0
    for index, notification in enumerate(claimed):
        if should_stop():
            release(claimed[index:])
            break
        if send_one(notification, by_channel[notification.channel]):
            sent += 1
        else:
            failed += 1
    return sent, failed


@transaction.atomic
def retry(notification: Notification, *, actor) -> bool:
    """Put a failed or refused notification back in the queue with fresh attempts (staff's call,
    e.g. after the citizen's number was corrected or the gateway's template approved). False if
    it was not (or no longer) undelivered."""
    require(actor, "notification.manage", notification)
    retried = Notification.objects.filter(pk=notification.pk, status__in=UNDELIVERED).update(
        status=Status.PENDING, attempts=0, available_at=timezone.now(), last_error=""
    )
    if retried:
        audit.record("notification.retried", actor=actor, obj=notification)
    return bool(retried)


def prune_sent(days: int | None = None) -> int:
    """Delete delivered notifications older than `days` (NOTIFICATIONS_KEEP_DAYS): they hold
    phone numbers and message texts, which PIPL says not to keep longer than needed.

    A pruned row's dedupe_key is free again, so producers put something time-bound in their keys
    (the case and the deadline, not just the case) and do not re-enqueue months-old events.
    """
    days = settings.NOTIFICATIONS_KEEP_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = Notification.objects.filter(prunable(cutoff)).delete()
    return deleted


def prunable(cutoff) -> Q:
    """The rows the retention rule lets go: delivered before `cutoff`, except an unread inbox
    notice. One rule for `prune_sent` and for dropping whole months
    (notifications/partitions.py)."""
    delivered = Q(status__in=[Status.SENT, Status.DELIVERED], sent_at__lt=cutoff)
    return delivered & ~Q(channel=Channel.IN_APP, read_at__isnull=True)
