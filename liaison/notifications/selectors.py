"""Reading the outbox for people: what did not arrive, and how delivery went this week."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from liaison.core.inputs import ascii_int
from liaison.core.permissions import restrict

from .models import UNDELIVERED, Channel, Notification, Status

RECENT_DAYS = 7


def by_keys(dedupe_keys: list[str]) -> QuerySet[Notification]:
    """The messages of these exact dedupe keys, oldest first (one lookup of the unique index):
    e.g. the texts a case's events sent its citizen."""
    return Notification.objects.filter(dedupe_key__in=dedupe_keys).order_by("created_at", "id")


def undelivered_for(user, *, channel: str = "", status: str = "", q: str = "") -> QuerySet:
    """发送失败的消息 — the failed and refused messages `user` may manage, newest first. `q` is
    the last 4 digits of a phone number, or a tracking number / part of a dedupe key."""
    found = restrict(
        Notification.objects.filter(status__in=UNDELIVERED), user, "notification.manage"
    )
    if channel:
        found = found.filter(channel=channel)
    if status:
        found = found.filter(status=status)
    if q:
        # The tracking number is an SMS's "number" variable; event keys name the event, not it.
        matches = Q(dedupe_key__icontains=q) | Q(params__number=q)
        if len(q) == 4 and ascii_int(q) is not None:
            matches |= Q(channel=Channel.SMS, recipient__endswith=q)
        found = found.filter(matches)
    return found.order_by("-created_at", "-id")


@dataclass
class ChannelCounts:
    channel: str
    label: str
    queued: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0


def recent_counts(days: int = RECENT_DAYS) -> list[ChannelCounts]:
    """Per channel, the messages written in the last `days` days by status: one aggregate query
    over the index on created_at (notification_recent)."""
    since = timezone.now() - timedelta(days=days)
    by_status = {
        "queued": Q(status__in=[Status.PENDING, Status.SENDING]),
        "sent": Q(status=Status.SENT),
        "delivered": Q(status=Status.DELIVERED),
        "failed": Q(status=Status.FAILED),
        "dead": Q(status=Status.DEAD),
    }
    rows = (
        Notification.objects.filter(created_at__gte=since)
        .order_by()
        .values("channel")
        .annotate(**{name: Count("pk", filter=cond) for name, cond in by_status.items()})
    )
    found = {row.pop("channel"): row for row in rows}
    return [ChannelCounts(value, label, **found.get(value, {})) for value, label in Channel.choices]
