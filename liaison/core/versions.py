"""Version tokens in Django's cache (issue 17): what a cached page was built from is named by
tokens that every change of it replaces — a case's events (cases/page_cache.py), the directory
and the written statistics reports (core/public_pages.py). A page is kept under the tokens it
was built with, so a change makes it unreachable at once, without finding and deleting it.

A changed token is forgotten now and once more when the transaction commits, so that a page
built from the old rows before the commit is never found under a token made after it. A missing
token (forgotten, evicted, or a cache restart) is replaced by a fresh one, never by an old one.

A token is forgotten only in the cache of the process that made the change: unless every process
shares the cache (settings.LIAISON_SHARED_CACHE), a token lives at most
LIAISON_PUBLIC_PAGE_CACHE_SECONDS, which bounds how stale a page can be in the other processes.
"""

import uuid

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction


def _new() -> str:
    return uuid.uuid4().hex


def tokens(keys: list[str], timeout: int | None = None, found: dict | None = None) -> list[str]:
    """The current token under each key (one cache round trip), making one where missing;
    `found`: what the caller has read of them already. `timeout`: how long a new one lives
    (None: until replaced)."""
    found = dict(found or {})
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        found.update(cache.get_many(missing))
    if not settings.LIAISON_SHARED_CACHE:
        local = settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS
        timeout = local if timeout is None else min(timeout, local)
    for key in keys:
        if found.get(key) is None:
            # add(), not set(): a token another process made meanwhile wins.
            token = _new()
            if not cache.add(key, token, timeout):
                token = cache.get(key) or token
            found[key] = token
    return [found[key] for key in keys]


def bump(keys: list[str]) -> None:
    """Forget the tokens under the keys, now and once more when the transaction commits: the
    next reader makes a new one. Deleted rather than replaced, so that the events of cases no
    one is looking at (most of them) add nothing to the cache."""
    if not keys:
        return

    def forget():
        cache.delete_many(keys)
        _read_in_request(keys)

    forget()
    transaction.on_commit(forget)


# The tokens of every Memo as read during the current request, outside a transaction: a
# submission looks up its key, its deputy, its category, the calendar and the station's staff,
# and one cache round trip reads all their tokens. Outside a request (the worker, a command)
# there is no such moment and each look-up reads its own.
_MEMO_KEYS: list[str] = []
_request = Local()


def _request_began(**kwargs) -> None:
    _request.tokens = {}


def _request_ended(**kwargs) -> None:
    _request.tokens = None


request_started.connect(_request_began, dispatch_uid="versions-request-began")
request_finished.connect(_request_ended, dispatch_uid="versions-request-ended")


def _read_in_request(keys: list[str]) -> None:
    """Forgotten tokens are read again, even within the request that changed them."""
    seen = getattr(_request, "tokens", None)
    for key in keys if seen else ():
        seen.pop(key, None)


def _memo_token(key: str) -> tuple[str, bool]:
    """The token under a Memo's key, and whether it is settled: read in this request outside a
    transaction and not forgotten since, so that what the current transaction has written
    cannot have changed what it stands for (every such write forgets it)."""
    seen = getattr(_request, "tokens", None)
    if seen is not None and key in seen:
        return seen[key], True
    if seen is None or transaction.get_connection().in_atomic_block:
        return tokens([key])[0], False
    wanted = [k for k in _MEMO_KEYS if k not in seen]
    seen.update(zip(wanted, tokens(wanted), strict=True))
    return seen[key], True


class Memo:
    """Values kept in this process's memory for as long as the token under `key` is unchanged
    (no query, and the tokens of all memos read at once per request): the directory a
    submission is checked against, the working-day calendar, the staff a new case is told to.
    Only with a cache every process shares — elsewhere no other process could tell this one of a
    change — and only what was read outside a transaction, which might yet be rolled back, or
    under a settled token (`_memo_token`). At most `size` values, the oldest dropped first."""

    def __init__(self, key: str, size: int = 4096):
        self.key, self.size = key, size
        self._token: str | None = None
        self._values: dict = {}
        _MEMO_KEYS.append(key)

    def get(self, name, build):
        if not settings.LIAISON_SHARED_CACHE:
            return build()
        token, settled = _memo_token(self.key)
        if token != self._token:
            self._token, self._values = token, {}
        if name in self._values:
            return self._values[name]
        value = build()
        if settled or not transaction.get_connection().in_atomic_block:
            if len(self._values) >= self.size:
                del self._values[next(iter(self._values))]
            self._values[name] = value
        return value

    def changed(self) -> None:
        """Every process builds its values again (now, and when the transaction commits)."""
        bump([self.key])
