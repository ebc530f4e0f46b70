"""The URL patterns are tried in order, and the citizens' pages come first (liaison/urls.py):
no pattern may hide another. For every pattern, a path made from it (sample values in its
converters) resolves to that pattern and no other."""

import re

from django.urls import URLResolver, get_resolver, resolve

SAMPLES = {"str": "abc123", "int": "7", "slug": "ab-c", "path": "a/b"}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif not route.startswith("^"):  # the media regex and the admin's own
            yield route, pattern


def _sample(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)


def test_every_pattern_is_reached_by_its_own_paths():
    hidden = []
    for route, pattern in _routes(get_resolver().url_patterns):
        if "(?P" in route or "admin/" in route:
            continue
        found = resolve(_sample(route))
        if found.func is not pattern.callback or found.url_name != pattern.name:
            hidden.append(f"{route} → {found.route}")
    assert hidden == []


def test_the_citizens_pages_are_tried_first():
    first = [str(p.pattern) for p in get_resolver().url_patterns[:4]]
    assert first[2:] == ["", ""]
    assert resolve("/t/1234567890").url_name == "track"
    assert resolve("/d/abc123/").url_name == "deputy"
