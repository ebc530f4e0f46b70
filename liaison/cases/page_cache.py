"""Case pages from the cache (issue 17): the citizen's tracking page, the staff queues and the
staff page of one case.

The citizen's tracking page: what it costs to build — the public timeline
of the case and, for a merged case, of the case it was merged into, its photos, the clock's
resumption — is kept in Django's cache (settings.CACHES: Redis with REDIS_URL, else per
process) under the case's id and its *version*.

The version is a token (core/versions.py) that every event of the case changes (`bump`, called
by `notices.bump_page_version` for each `record_event` of a case: the one place case events are
written), so a stale page is never shown after a state change. Tokens expire with the pages
(TIMEOUT), so the cache holds nothing for a case nobody looked at lately.

A staff queue (工作队列) is kept whole per viewer (core/public_pages.py) under the token of the
*scope* its viewer sees — their station, the region they supervise, the deputy they are, their
grid cell, or every case for an administrator — which the same events change: an event of a case
forgets the tokens of every scope the case lies in (`scopes`). A set-based change of many cases
(the deadline recomputation) forgets one token every queue is keyed by besides (`BULK`).

A case's staff page is kept whole per viewer under the case's token and the minute
(cases/staff_views.detail), found from its tracking number by `case_id` without a query.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from liaison.accounts.models import Role
from liaison.core import versions as version_tokens
from liaison.directory.models import path_prefixes

TIMEOUT = 60 * 60  # an hour: a page not visited for that long is built again
_VERSION = "case-page-version:{pk}"
_SCOPE = "case-queue-scope:{name}"
_NUMBER = "case-number:{number}"
EVERY_CASE = "all"  # an administrator's scope
BULK = "bulk"


def _keys(pks) -> list[str]:
    return [_VERSION.format(pk=pk) for pk in pks]


def versions(*pks: int) -> list[str]:
    """The current token of each case (one cache round trip), making a new one where missing."""
    return version_tokens.tokens(_keys(pks), TIMEOUT)


def case_id(tracking_number: str) -> int | None:
    """The id of the case with this tracking number, if the cache has it (a number never
    changes its case, so the entry is never stale)."""
    return cache.get(_NUMBER.format(number=tracking_number))


def remember_case_id(case) -> None:
    cache.set(_NUMBER.format(number=case.tracking_number), case.pk, TIMEOUT)


def bump(case) -> None:
    """The case changed: its token and those of the queues it is listed in are forgotten, now
    and once more when the transaction commits (one cache round trip each)."""
    version_tokens.bump(_keys([case.pk]) + [_SCOPE.format(name=name) for name in scopes(case)])


def bump_many(pks: list[int]) -> None:
    """`bump` for many cases at once (the set-based deadline recomputation): their tokens and
    every queue's, one cache round trip now and one when the transaction commits."""
    version_tokens.bump([*_keys(pks), _SCOPE.format(name=BULK)])


def scopes(case) -> list[str]:
    """The scopes whose queues list `case` (cases/permissions.py, "case.view"). A case keeps its
    station, region and grid cell from intake on, and gains a deputy only once (a message to the
    station as a whole, on acceptance): so its current scopes are all it was ever listed in."""
    names = [EVERY_CASE, f"station:{case.station_id}"]
    names += [f"region:{path}" for path in path_prefixes(case.region_path)]
    if case.deputy_id:
        names.append(f"deputy:{case.deputy_id}")
    if case.grid_cell_id:
        names.append(f"grid:{case.grid_cell_id}")
    return names


def viewer_scope(user) -> str | None:
    """The one scope a signed-in account's queue shows, or None when it is not one of `scopes`
    (a department's cases are those it holds an assignment for: not kept)."""
    if user.is_administrator:
        return EVERY_CASE
    if user.role == Role.STATION_STAFF and user.station_id:
        return f"station:{user.station_id}"
    if user.role == Role.COMMITTEE_STAFF and user.region_id:
        return f"region:{user.region.path}"
    if user.role == Role.DEPUTY and user.deputy_id:
        return f"deputy:{user.deputy_id}"
    if user.role == Role.GRID_WORKER and user.grid_cell_id:
        return f"grid:{user.grid_cell_id}"
    return None


def queue_versions(user) -> list[str] | None:
    """The tokens a queue of `user` is kept under (one cache round trip), None if it is not kept:
    also whenever the processes do not share the cache, where the person who just acted could be
    served, by another process, the queue from before."""
    scope = viewer_scope(user) if settings.LIAISON_SHARED_CACHE else None
    if scope is None:
        return None
    return version_tokens.tokens([_SCOPE.format(name=scope), _SCOPE.format(name=BULK)], TIMEOUT)


def cached(name: str, pks: list[int], build):
    """`build()` from the cache, under `name`, the given cases' tokens and the language."""
    tokens = versions(*pks)
    key = ":".join(["case-page", name, translation.get_language() or "", *map(str, pks), *tokens])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
