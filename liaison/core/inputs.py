"""Untrusted input: the checks every surface shares (docs/design.md, "Bad input").

`str.isdigit()` and `int()` accept more than ASCII: "²".isdigit() is true but int("²") fails, and
int("５") is 5. A number in a URL or a form is ASCII digits or nothing, so every parse of one goes
through `ascii_int`.
"""

from django.core.exceptions import BadRequest

# Longer would overflow a 64-bit column (PostgreSQL answers an error, not "no row").
MAX_DIGITS = 18


def ascii_int(value, default=None):
    """The number written in ASCII digits (no sign, no spaces), else `default`."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else default
    text = value if isinstance(value, str) else ""
    if 0 < len(text) <= MAX_DIGITS and text.isascii() and text.isdigit():
        return int(text)
    return default


def ascii_digits(value) -> str:
    """Only the ASCII digits of `value` ("138-0013 8000" → "13800138000")."""
    return "".join(ch for ch in (value or "") if ch.isascii() and ch.isdigit())


class BadInput(BadRequest):
    """A request no view should see (a NUL character); answered 400 by liaison/error_views.py in
    the surface's own format. The message is worded when shown, in the language of the surface
    (the site's for pages, Accept-Language for the API)."""

    code = "invalid"

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self._message = message  # usually lazy: see `message`
        self.field = field

    @property
    def message(self) -> str:
        text = str(self._message)
        return text % {"field": self.field} if "%(field)s" in text else text

    def __str__(self) -> str:
        return self.message
