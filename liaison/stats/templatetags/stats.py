"""`{{ n|cell:public }}` — a count as the page shows it: on the public page a count from 1 to 4
is "<5", so that nobody in a small place is recognised (docs/statistics.md)."""

from urllib.parse import urlencode

from django import template
from django.utils.html import conditional_escape, format_html

register = template.Library()

SMALLEST_SHOWN = 5


def _small(n) -> bool:
    return isinstance(n, int) and 0 < n < SMALLEST_SHOWN


@register.filter
def cell(n, public=False):
    return f"<{SMALLEST_SHOWN}" if public and _small(n) else n


@register.filter
def rate(value, public=False):
    """A Rate: the percentage, or "—" on the public page when a count in it is small."""
    if public and (_small(value.numerator) or _small(value.denominator)):
        return "—"
    return value.percent


@register.simple_tag
def counted(n, links=None, public=False, **filters):
    """A count as `cell` shows it, on the staff dashboard a link to the cases behind it
    (links.py); `departments` filters only for a viewer whose queue has that filter."""
    shown = filters.pop("shown", None) or cell(n, public)
    if public or links is None or ("department" in filters and not links.departments):
        return conditional_escape(shown)
    return format_html('<a href="{}">{}</a>', links.url(**filters), shown)


@register.simple_tag
def linked(shown, url):
    """Any text as a link to `url` (the figures of now, the other lists), or plain without one."""
    if not url:
        return conditional_escape(shown)
    return format_html('<a href="{}">{}</a>', url, shown)


@register.filter
def change(now, before):
    """The change from `before` to `now`, signed ("+3", "−2", "0")."""
    if not isinstance(now, int) or not isinstance(before, int):
        return "—"
    diff = now - before
    return f"+{diff}" if diff > 0 else ("0" if diff == 0 else f"−{-diff}")


@register.simple_tag
def suggestions_link(n, links, status):
    """A count of suggestions in one state, linked to the suggestion list in that state."""
    return linked(n, links.suggestions(status) if links is not None else "")


@register.simple_tag
def query_with(base, **more):
    """A query string: `base` (a dict) with `more` added."""
    return urlencode({**(base or {}), **{k: v for k, v in more.items() if v not in (None, "")}})


@register.filter
def small(n) -> bool:
    """Whether the public page hides this count ("<5")."""
    return _small(n)
