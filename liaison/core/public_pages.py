"""Whole pages from the cache (issue 17, docs/scaling.md).

A deputy's page (the page the QR code on the sign opens), a station's page and a citizen's
tracking page (keyed besides by its case's versions, cases/page_cache.py) cost a few queries and
≈ 6–10 ms of templates per request, which under load is what the server spends its CPU on. They
are kept in Django's cache (Redis with REDIS_URL, else per process) for
LIAISON_PUBLIC_PAGE_CACHE_SECONDS, keyed by the path, the language, the display options (large
type, high contrast) and a *version* that every change of the directory replaces (`changed`,
called by directory.services), so an edited or withdrawn deputy is never shown from the cache;
what other apps show on a station's page (its next reception days) may be that many seconds old.

A page whose parts say everything it shows to whom may be kept for signed-in viewers too
(`signed_in=True`, the statistics pages): the key then holds the viewer and what their account
is scoped by, so no one is ever served another's page.

What differs per request stays out of the cached text: the CSRF token of the page's forms and the
unread-notices badge of a signed-in viewer are rendered as placeholders and filled in when the
page is served; a visitor with a message waiting gets the page built afresh.
"""

import hashlib
import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import versions
from .context_processors import display_options

# Never a token get_token() makes (those are letters and digits only).
CSRF_PLACEHOLDER = "{csrf-token}"
BADGE_PLACEHOLDER = "{unread-badge}"
_VERSION = "public-pages-version"
PREFIX = "public-page"


def version(name: str, found: str | None = None) -> str:
    """A token every change of `name` replaces (core/versions.py); `found`: what the caller read
    under `version_key(name)` already, None if it was missing."""
    key = version_key(name)
    return versions.tokens([key], found={key: found})[0]


def version_key(name: str) -> str:
    return f"{_VERSION}:{name}"


def bump(name: str) -> None:
    """A new token for `name`: every page built from it is forgotten."""
    versions.bump([version_key(name)])


def directory_version() -> str:
    """The directory's token: every change of the directory replaces it."""
    return version("directory")


def changed() -> None:
    """Forget every cached public page (the directory changed)."""
    bump("directory")


def _cacheable(request, timeout, signed_in: bool) -> bool:
    if not (
        settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS > 0
        and (timeout is None or timeout > 0)
        and request.method == "GET"
        and not len(messages.get_messages(request))
    ):
        return False
    # A signed-in viewer's page has the viewer in its key, and its query string among the parts
    # its view validated; a public page is one entry, not one per made-up query string.
    return signed_in or not (request.GET or request.user.is_authenticated)


def _viewer(user) -> tuple:
    """Who sees the page, and what their account is scoped by (a changed role or place is a
    different page)."""
    if not user.is_authenticated:
        return ()
    fields = ("role", "region_id", "station_id", "department_id", "deputy_id", "grid_cell_id")
    return (user.pk, user.is_superuser, *(getattr(user, name, None) for name in fields))


def _key(request, parts, directory: str | None = None) -> str:
    text = repr(
        [
            directory or directory_version(),
            translation.get_language() or "",
            ",".join(sorted(display_options(request))),
            request.path,
            _viewer(request.user),
            *map(str, parts),
        ]
    )
    return f"{PREFIX}:{hashlib.sha256(text.encode()).hexdigest()}"


def cached(
    request, build, parts=(), timeout=None, *, signed_in=False, per_minute=False
) -> HttpResponse:
    """The page `build(extra_context)` makes, from the cache when it may be: `build` renders with
    `extra_context` added to its template context and answers the response. `parts`: whatever
    else the page depends on besides its path, the language, the display options, the viewer
    and the directory; `timeout`: seconds to keep it (LIAISON_PUBLIC_PAGE_CACHE_SECONDS unless
    the parts say all the page shows; 0: not kept); `signed_in`: kept for signed-in viewers too,
    each their own, with the query string the view validated among the parts; `per_minute`:
    the page is also keyed by the current minute (what the clock alone changes shows within
    it), and kept into the next minute, to be served while one process builds that minute's.

    A missing page is built by one process at a time (it holds a "building" entry for at most
    BUILD_SECONDS): the others serve the last minute's page or wait for the new one, so that a
    page which takes a second to build at ten million cases is not built by every worker at once
    at each minute (issue 17)."""
    if not _cacheable(request, timeout, signed_in):
        return build({})
    earlier = None
    if per_minute:
        minute = timezone.now().replace(second=0, microsecond=0)
        earlier = _key(request, (*parts, (minute - timedelta(minutes=1)).isoformat()))
        parts, timeout = (*parts, minute.isoformat()), 2 * MINUTE
    key = _key(request, parts)
    found = cache.get(key)
    building = False
    if found is None:
        building = cache.add(f"{key}:building", 1, BUILD_SECONDS)
        if not building:
            found = _while_built_elsewhere(key, earlier)
    if found is None:
        try:
            response = build(
                {"csrf_token": CSRF_PLACEHOLDER, "unread_badge_hole": BADGE_PLACEHOLDER}
            )
            if response.status_code != 200:
                return _served(response.content.decode(), request, response.status_code)
            found = response.content.decode()
            cache.set(key, found, timeout or settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS)
        finally:
            if building:
                cache.delete(f"{key}:building")
    return _served(found, request, 200)


MINUTE = 60
# How long one process may hold the right to build a page (longer than any page takes), and how
# long the others wait for it before building it themselves.
BUILD_SECONDS = 30
WAIT_SECONDS = 5
_POLL_SECONDS = 0.02


def _while_built_elsewhere(key: str, earlier: str | None) -> str | None:
    """The page another process is building: the previous one where the clock alone moved on,
    else the new one once it is there; None when the builder gave up (the caller builds it)."""
    if earlier is not None and (page := cache.get(earlier)) is not None:
        return page
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
        found = cache.get_many([key, f"{key}:building"])
        if key in found or f"{key}:building" not in found:
            return found.get(key)
    return None


def remembered(request, lookup: str, parts_from) -> HttpResponse | None:
    """The page `cached` keeps, if it has it, for a view that can tell the page's parts from one
    cache entry without reading the database: `parts_from(the value under lookup)`, None if the
    page is not for this request. The entry and the directory's token come in one round trip."""
    if not _cacheable(request, None, signed_in=False):
        return None
    directory = version_key("directory")
    found = cache.get_many([lookup, directory])
    if found.get(lookup) is None:
        return None
    parts = parts_from(found[lookup])
    if parts is None:
        return None
    page = cache.get(_key(request, parts, version("directory", found.get(directory))))
    return None if page is None else _served(page, request, 200)


def _served(text: str, request, status: int) -> HttpResponse:
    text = text.replace(CSRF_PLACEHOLDER, get_token(request))
    if BADGE_PLACEHOLDER in text:
        text = text.replace(BADGE_PLACEHOLDER, render_to_string(_BADGE, request=request))
    return HttpResponse(text, status=status)


_BADGE = "core/_unread_badge.html"
