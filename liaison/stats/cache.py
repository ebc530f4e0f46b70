"""The statistics pages' computed figures in Django's cache (docs/statistics.md, "Cache").

The key is everything the figures depend on: the viewer's scope (selectors.staff_scope — one
scope's figures are never served to another), the place and period chosen, the comparison
period, the day (suggestions' ages), the language, and the rollups' high-water marks
(`RollupMark.last_id` of every source): a worker run that counts new events changes the key, so
the figures are never older than the rollup. What the marks do not cover (open cases now, 三个一,
coverage, suggestions, legislation) is at most LIAISON_STATS_CACHE_SECONDS old.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from .models import RollupMark

PREFIX = "stats.page"


def marks() -> tuple:
    return tuple(RollupMark.objects.order_by("source").values_list("source", "last_id"))


def key(*parts) -> str:
    """The cache key of a page's figures: the parts, the language and the marks."""
    text = repr((parts, translation.get_language(), marks()))
    return f"{PREFIX}:{hashlib.sha256(text.encode()).hexdigest()}"


def remembered(parts: tuple, compute: Callable[[], dict]) -> tuple[str, dict]:
    """(the key, the cached figures of `parts`), or `compute()` stored for next time. The page
    keeps its rendered figures under the same key (the templates' `{% cache %}`), so that a
    warm request renders only the page around them."""
    seconds = settings.LIAISON_STATS_CACHE_SECONDS
    if seconds <= 0:
        return "", compute()
    name = key(*parts)
    found = cache.get(name)
    if found is None:
        found = compute()
        cache.set(name, found, seconds)
    return name, found
