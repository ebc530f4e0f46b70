"""我的留言和预约 — a citizen who lost the SMS finds every message and booking held under their
mobile number, with an SMS code to that number (the one code flow, notifications/phonecodes.py).

The answer never tells whether a number is known: an unknown number gets a code row like any
other (so waits, wrong codes and limits answer alike) but no text. Codes are kept per phone only
as a keyed hash (`LookupCode`). The apps above (bookings) add their records through the
`citizen_records` hook.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.crypto import salted_hmac

from liaison.core import registry
from liaison.notifications.phonecodes import Codes

from .models import Case, LookupCode

SALT = "liaison.cases.lookup-code"
# How long a proven phone keeps the list open in the browser's session.
OPEN_FOR = timedelta(minutes=30)


def phone_key(phone: str) -> str:
    return salted_hmac(SALT, phone, algorithm="sha256").hexdigest()


def _codes(phone: str) -> Codes:
    key = phone_key(phone)
    return Codes(
        LookupCode.objects.filter(phone_key=key),
        {"phone_key": key},
        salt=SALT,
        prefix=f"{key}:",
    )


def cases_of(phone: str):
    """Every confirmed message left with this mobile, newest first."""
    return Case.objects.verified().filter(citizen_phone=phone).order_by("-created_at", "-id")


def _known(phone: str, request) -> bool:
    return cases_of(phone).exists() or any(
        find(request, phone, unlock=False) for find in registry.citizen_records.functions()
    )


def send_lookup_code(request, phone: str) -> str:
    """A code to `phone` if anything is held under it; the same row and the same refusals
    (ValidationError on "code": too soon, too many today) either way. Returns the code sent
    (shown in demo mode only) or ""."""
    return _codes(phone).send(
        phone,
        "lookup_code",
        {},
        "lookup-code",
        language=request.LANGUAGE_CODE or settings.LANGUAGE_CODE,
        deliver=_known(phone, request),
    )


def check_lookup_code(phone: str, code: str) -> None:
    """Use up the latest code for `phone`, or ValidationError on "code" saying why."""
    _codes(phone).check(code)


def records(request, phone: str) -> list[dict]:
    """The bookings and other records the apps above hold under `phone` (opened for the
    session by each app)."""
    found = []
    for find in registry.citizen_records.functions():
        found.extend(find(request, phone, unlock=True))
    return found
