"""The links a citizen receives by SMS: the tracking page and the one-click rating page.

The pages themselves are served by `liaison/cases/urls.py` (next session); these paths are the
contract. The rating link carries a signed token instead of a login, so that the number alone does
not let anyone rate someone else's case.
"""

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

TRACKING_PATH = "/t/{number}"
RATING_PATH = "/r/{token}"
_RATING_SALT = "liaison.cases.rating"
PUBLIC_PATH = "/c/{key}"
_PUBLIC_SALT = "liaison.cases.public-page"


def tracking_url(case) -> str:
    return settings.SITE_URL + TRACKING_PATH.format(number=case.tracking_number)


def rating_token(case) -> str:
    return signing.Signer(salt=_RATING_SALT).sign(case.tracking_number)


def rating_url(case) -> str:
    return settings.SITE_URL + RATING_PATH.format(token=rating_token(case))


def tracking_number_from_rating_token(token: str) -> str | None:
    """The case's tracking number, or None for a token that was not made by `rating_token`."""
    try:
        return signing.Signer(salt=_RATING_SALT).unsign(token)
    except signing.BadSignature:
        return None


def public_key(case) -> str:
    """The public case page's key (附议, support.py): the row id and a keyed hash of it, so that
    the address of one public case does not lead to the next by counting."""
    mac = salted_hmac(_PUBLIC_SALT, str(case.pk), algorithm="sha256").hexdigest()[:16]
    return f"{case.pk}-{mac}"


def pk_from_public_key(key: str) -> int | None:
    """The case id of a key made by `public_key`, or None."""
    number, _dash, mac = key.partition("-")
    if not (number.isascii() and number.isdigit()) or len(number) > 18 or len(mac) != 16:
        return None
    expected = salted_hmac(_PUBLIC_SALT, number, algorithm="sha256").hexdigest()[:16]
    return int(number) if constant_time_compare(expected, mac) else None


def public_url(case) -> str:
    return settings.SITE_URL + PUBLIC_PATH.format(key=public_key(case))
