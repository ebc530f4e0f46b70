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

from django.conf import settings
from django.core.cache import cache
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

    forget()
    transaction.on_commit(forget)


class Memo:
    """Values kept in this process's memory for as long as the token under `key` is unchanged
    (one cache round trip per look-up instead of the queries that build them): the directory a
    submission is checked against, the working-day calendar. Only with a cache every process
    shares — elsewhere no other process could tell this one of a change — and only what was read
    outside a transaction, which might yet be rolled back. At most `size` values, the oldest
    dropped first."""

    def __init__(self, key: str, size: int = 4096):
        self.key, self.size = key, size
        self._token: str | None = None
        self._values: dict = {}

    def get(self, name, build):
        if not settings.LIAISON_SHARED_CACHE:
            return build()
        token = tokens([self.key])[0]
        if token != self._token:
            self._token, self._values = token, {}
        if name in self._values:
            return self._values[name]
        value = build()
        if not transaction.get_connection().in_atomic_block:
            if len(self._values) >= self.size:
                del self._values[next(iter(self._values))]
            self._values[name] = value
        return value

    def changed(self) -> None:
        """Every process builds its values again (now, and when the transaction commits)."""
        bump([self.key])
