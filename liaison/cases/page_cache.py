"""The citizen's tracking page, cached (issue 17): what it costs to build — the public timeline
of the case and, for a merged case, of the case it was merged into, its photos, the clock's
resumption — is kept in Django's cache (settings.CACHES: Redis with REDIS_URL, else per
process) under the case's id and its *version*.

The version is a token (core/versions.py) that every event of the case changes (`bump`, called
by `notices.bump_page_version` for each `record_event` of a case: the one place case events are
written), so a stale page is never shown after a state change. Tokens expire with the pages
(TIMEOUT), so the cache holds nothing for a case nobody looked at lately.
"""

from django.core.cache import cache
from django.utils import translation

from liaison.core import versions as version_tokens

TIMEOUT = 60 * 60  # an hour: a page not visited for that long is built again
_VERSION = "case-page-version:{pk}"


def _keys(pks) -> list[str]:
    return [_VERSION.format(pk=pk) for pk in pks]


def versions(*pks: int) -> list[str]:
    """The current token of each case (one cache round trip), making a new one where missing."""
    return version_tokens.tokens(_keys(pks), TIMEOUT)


def bump(pk: int) -> None:
    """The case changed: its token is forgotten, now and once more when the transaction commits."""
    version_tokens.bump(_keys([pk]))


def bump_many(pks: list[int]) -> None:
    """`bump` for many cases at once (the set-based deadline recomputation): one cache round trip
    now and one when the transaction commits."""
    version_tokens.bump(_keys(pks))


def cached(name: str, pks: list[int], build):
    """`build()` from the cache, under `name`, the given cases' tokens and the language."""
    tokens = versions(*pks)
    key = ":".join(["case-page", name, translation.get_language() or "", *map(str, pks), *tokens])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
