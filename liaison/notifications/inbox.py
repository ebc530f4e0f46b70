"""The inbox (通知中心): the in-app notices of one account, newest first.

A notice is an outbox row of channel `in_app` whose recipient is the account's id; it is in the
inbox from the moment it is written. Reading is the account's own business: marking a notice read
changes nothing anyone else sees, so it is not audited.
"""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Channel, Notification


def notices(user) -> QuerySet[Notification]:
    return Notification.objects.filter(channel=Channel.IN_APP, recipient=str(user.pk)).order_by(
        "-created_at", "-id"
    )


def unread_count(user) -> int:
    """Served by the partial index `notification_unread`."""
    return notices(user).filter(read_at__isnull=True).count()


def mark_read(user, ids=None) -> int:
    """Mark the account's notices `ids` (all when None) read; returns how many changed."""
    unread = notices(user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def safe_link(notice: Notification) -> str:
    """The notice's link if it stays on this site, else the inbox."""
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return notice.link
    return ""
