"""The citizen's tracking page, cached (issue 17): what it costs to build — the public timeline
of the case and, for a merged case, of the case it was merged into, its photos, the clock's
resumption — is kept in Django's cache (settings.CACHES: Redis with REDIS_URL, else per
process) under the case's id and its *version*.

The version is a token in the same cache that every event of the case replaces
(`bump`, called by `notices.bump_page_version` for each `record_event` of a case: the one place
case events are written), at once and again when the transaction commits — so a page built from
the old rows before the commit is never found under the new token. A missing token (evicted, or
a cache restart) is replaced by a fresh one, never by an old one: a stale page is never shown
after a state change. Tokens expire with the pages (TIMEOUT), so the cache holds nothing for a
case nobody looked at lately. Everything the page reads from the case row itself (status, deadline,
the raised-by counter) comes from the row loaded for the request, not from the cache.
"""

import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils import translation

TIMEOUT = 60 * 60  # an hour: a page not visited for that long is built again
_VERSION = "case-page-version:{pk}"


def _new_token() -> str:
    return f"{time.time_ns():x}{uuid.uuid4().hex[:8]}"


def versions(*pks: int) -> list[str]:
    """The current token of each case (one cache round trip), making a new one where missing."""
    keys = [_VERSION.format(pk=pk) for pk in pks]
    found = cache.get_many(keys)
    missing = {key: _new_token() for key in keys if key not in found}
    if missing:
        # add(), not set(): a token another process made meanwhile wins.
        for key, token in missing.items():
            if not cache.add(key, token, TIMEOUT):
                token = cache.get(key) or token
            found[key] = token
    return [found[key] for key in keys]


def bump(pk: int) -> None:
    """A new token for the case: now, and once more when the transaction commits."""

    def replace():
        cache.set(_VERSION.format(pk=pk), _new_token(), TIMEOUT)

    replace()
    transaction.on_commit(replace)


def bump_many(pks: list[int]) -> None:
    """`bump` for many cases at once (the set-based deadline recomputation): one cache round trip
    now and one when the transaction commits."""
    if not pks:
        return

    def replace():
        cache.set_many({_VERSION.format(pk=pk): _new_token() for pk in pks}, TIMEOUT)

    replace()
    transaction.on_commit(replace)


def cached(name: str, pks: list[int], build):
    """`build()` from the cache, under `name`, the given cases' tokens and the language."""
    tokens = versions(*pks)
    key = ":".join(["case-page", name, translation.get_language() or "", *map(str, pks), *tokens])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
