"""The outbox's retention by whole months once it is partitioned (liaison/core/partitions.py):
a month goes when every row in it is one `prune_sent` would delete — the same rule, so the
privacy policy (NOTIFICATIONS_KEEP_DAYS after delivery; unread inbox notices until read) holds
whichever of the two removes a row."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection

from liaison.core import partitions

from .models import Notification
from .services import prunable


def cutoff(now: datetime) -> datetime:
    return now - timedelta(days=settings.NOTIFICATIONS_KEEP_DAYS)


def must_stay(start: datetime, end: datetime, cutoff: datetime) -> bool:
    # The created_at range prunes the query to that month's partition.
    month = Notification.objects.filter(created_at__gte=start, created_at__lt=end)
    return month.exclude(prunable(cutoff)).exists()


def free_keys(start: datetime, end: datetime) -> None:
    """The dropped month's dedupe keys are free again, as after prune_sent's DELETE."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM notifications_dedupe WHERE created_at >= %s AND created_at < %s",
            [start, end],
        )


def register() -> None:
    partitions.register_retention(
        Notification._meta.db_table,
        partitions.Retention(cutoff=cutoff, must_stay=must_stay, after_drop=free_keys),
    )
