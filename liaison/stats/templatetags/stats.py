"""`{{ n|cell:public }}` — a count as the page shows it: on the public page a count from 1 to 4
is "<5", so that nobody in a small place is recognised (docs/statistics.md)."""

from django import template

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
