"""The inbox (通知中心): the in-app notices of one account, newest first.

A notice is an outbox row of channel `in_app` whose recipient is the account's id; it is in the
inbox from the moment it is written. Reading is the account's own business: marking a notice read
changes nothing anyone else sees, so it is not audited.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from liaison.core import versions

from .models import Channel, Notification


def notices(user) -> QuerySet[Notification]:
    return Notification.objects.filter(channel=Channel.IN_APP, recipient=str(user.pk)).order_by(
        "-created_at", "-id"
    )


# The badge on every signed-in page: counted once, then kept in the shared cache under a version
# token (core/versions.py) that a new notice for the account, or one read, forgets.
_UNREAD = "inbox-unread:{pk}:{token}"
_VERSION = "inbox-version:{pk}"
UNREAD_SECONDS = 300


def unread_count(user) -> int:
    """Served by the partial index `notification_unread`; from the cache when every process
    shares it (settings.LIAISON_SHARED_CACHE). What this module and the outbox services change
    shows at once; a row edited past them (the admin) within UNREAD_SECONDS."""
    if not settings.LIAISON_SHARED_CACHE:
        return _unread(user)
    token = versions.tokens([_VERSION.format(pk=user.pk)], UNREAD_SECONDS)[0]
    key = _UNREAD.format(pk=user.pk, token=token)
    found = cache.get(key)
    if found is None:
        found = _unread(user)
        cache.set(key, found, UNREAD_SECONDS)
    return found


def _unread(user) -> int:
    return notices(user).filter(read_at__isnull=True).count()


def changed(recipients) -> None:
    """The inboxes of these account ids (as stored in `recipient`) gained or lost unread notices."""
    versions.bump([_VERSION.format(pk=pk) for pk in sorted(set(map(str, recipients)))])


def mark_read(user, ids=None) -> int:
    """Mark the account's notices `ids` (all when None) read; returns how many changed."""
    unread = notices(user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    marked = unread.update(read_at=timezone.now())
    if marked:
        changed([user.pk])
    return marked


def safe_link(notice: Notification) -> str:
    """The notice's link if it stays on this site, else the inbox."""
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return notice.link
    return ""
