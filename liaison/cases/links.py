"""The links a citizen receives by SMS: the tracking page and the one-click rating page.

The pages themselves are served by `liaison/cases/urls.py` (next session); these paths are the
contract. The rating link carries a signed token instead of a login, so that the number alone does
not let anyone rate someone else's case.
"""

from django.conf import settings
from django.core import signing

TRACKING_PATH = "/t/{number}"
RATING_PATH = "/r/{token}"
_RATING_SALT = "liaison.cases.rating"


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
