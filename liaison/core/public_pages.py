"""Whole public pages for anonymous visitors, from the cache (issue 17, docs/scaling.md).

A deputy's page (the page the QR code on the sign opens), a station's page and a citizen's
tracking page (keyed besides by its case's versions, cases/page_cache.py) cost a few queries and
≈ 6–10 ms of templates per request, which under load is what the server spends its CPU on. They
are kept in Django's cache (Redis with REDIS_URL, else per process) for
LIAISON_PUBLIC_PAGE_CACHE_SECONDS, keyed by the path, the language, the display options (large
type, high contrast) and a *version* that every change of the directory replaces (`changed`,
called by directory.services), so an edited or withdrawn deputy is never shown from the cache;
what other apps show on a station's page (its next reception days) may be that many seconds old.

What differs per visitor stays out of the cached text: the CSRF token of the page's forms is
rendered as a placeholder and replaced by the visitor's own token when served; a logged-in
visitor or one with a message waiting gets the page built afresh.
"""

import hashlib
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from .context_processors import display_options

# Never a token get_token() makes (those are letters and digits only).
CSRF_PLACEHOLDER = "{csrf-token}"
_VERSION = "public-pages-version"
PREFIX = "public-page"


def directory_version() -> str:
    """A token every change of the directory replaces (for whatever is built from it)."""
    found = cache.get(_VERSION)
    if found is None:
        cache.add(_VERSION, uuid.uuid4().hex, None)
        found = cache.get(_VERSION) or ""
    return found


def changed() -> None:
    """Forget every cached public page: now, and again when the transaction commits (a page built
    from the old rows meanwhile is then never found)."""
    cache.set(_VERSION, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(_VERSION, uuid.uuid4().hex, None))


def _cacheable(request) -> bool:
    return (
        settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.GET  # one entry per page, not one per made-up query string
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def _key(request, parts) -> str:
    text = repr(
        [
            directory_version(),
            translation.get_language() or "",
            ",".join(sorted(display_options(request))),
            request.path,
            *map(str, parts),
        ]
    )
    return f"{PREFIX}:{hashlib.sha256(text.encode()).hexdigest()}"


def cached(request, build, parts=(), timeout=None) -> HttpResponse:
    """The page `build(extra_context)` makes, from the cache when it may be: `build` renders with
    `extra_context` added to its template context and answers the response. `parts`: whatever
    else the page depends on besides its path, the language, the display options and the
    directory; `timeout`: seconds to keep it (LIAISON_PUBLIC_PAGE_CACHE_SECONDS unless a page
    whose parts say all it shows may keep it longer)."""
    if not _cacheable(request):
        return build({})
    key = _key(request, parts)
    found = cache.get(key)
    if found is None:
        response = build({"csrf_token": CSRF_PLACEHOLDER})
        if response.status_code != 200:
            return _served(response.content.decode(), request, response.status_code)
        found = response.content.decode()
        cache.set(key, found, timeout or settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS)
    return _served(found, request, 200)


def remembered(request, parts) -> HttpResponse | None:
    """The page `cached` keeps under these parts, if it has it: for a view that can tell the
    parts without reading the database."""
    if not _cacheable(request):
        return None
    found = cache.get(_key(request, parts))
    return None if found is None else _served(found, request, 200)


def _served(text: str, request, status: int) -> HttpResponse:
    return HttpResponse(text.replace(CSRF_PLACEHOLDER, get_token(request)), status=status)
