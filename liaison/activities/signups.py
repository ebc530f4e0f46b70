"""报名 online — the activity page's and the API's sign-up, with the privacy notice and the SMS code
of a new message (the one code flow: liaison/notifications/phonecodes.py).

The citizen accepts the privacy notice and gives a phone; a `PendingSignUp` is kept and a 6-digit
code sent. Only the right code takes a place (`services.sign_up`, under the activity's lock), so
nobody is signed up with a number that is not theirs. A sign-up whose phone is never confirmed is
deleted after a day (`delete_unverified`, a periodic job).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from liaison.core import ratelimit
from liaison.core.errors import DomainError
from liaison.notifications.phonecodes import Codes

from . import services
from .models import Activity, PendingSignUp, SignUp, SignUpCode

UNVERIFIED_KEPT = timedelta(hours=24)
# Each request sends an SMS: per network, on the message form's setting (no new variable); per
# phone, the code flow's own daily limit.
SIGN_UPS_PER_IP = ratelimit.Limit("signup-ip", "LIAISON_RATE_MESSAGES_PER_IP", ratelimit.HOUR)


class TooManySignUps(DomainError):
    """The network has asked for too many sign-up codes (HTTP 429)."""

    code = "too_many_sign_ups"


def _codes(pending: PendingSignUp) -> Codes:
    return Codes(
        SignUpCode.objects.filter(pending=pending),
        {"pending": pending},
        salt="liaison.activities.signup-code",
        prefix=f"{pending.pk}:",
    )


@transaction.atomic
def request_sign_up(
    activity: Activity,
    *,
    name: str,
    phone: str,
    privacy_accepted: bool,
    ip: str | None,
    language: str = "",
) -> tuple[PendingSignUp, str]:
    """Check what can be checked now and send the code; returns the pending sign-up and the code
    (shown on screen in demo mode only). ValidationError on "phone", "privacy_accepted", "code"
    (too many codes), or without a field (cancelled, closed, full); TooManySignUps when `ip` (the
    client's address; None for a partner system) asked too often. Nothing takes a place yet."""
    if ip and SIGN_UPS_PER_IP.exceeded(ip):
        raise TooManySignUps(
            gettext("Too many sign-ups were sent from this network. Please try again later.")
        )
    errors: dict[str, list] = {}
    try:
        phone = services.clean_phone(phone)
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    if not privacy_accepted:
        errors["privacy_accepted"] = [gettext("Please read and accept the privacy notice.")]
    if errors:
        raise ValidationError(errors)
    services.check_sign_up(activity, phone)
    pending = PendingSignUp.objects.create(
        activity=activity,
        name=(name or "").strip(),
        phone=phone,
        language=language or translation.get_language() or "",
        privacy_accepted_at=timezone.now(),
    )
    code = send_code(pending)
    if ip:
        SIGN_UPS_PER_IP.hit(ip)
    return pending, code


def send_code(pending: PendingSignUp) -> str:
    """A new code (after a minute, at most LIAISON_RATE_CODES_PER_PHONE a day)."""
    return _codes(pending).send(
        pending.phone,
        "activity_code",
        {"title": pending.activity.title},
        "activity-code",
        language=pending.language,
    )


def seconds_until_resend(pending: PendingSignUp) -> int:
    return _codes(pending).seconds_until_resend()


def verify_sign_up(pending: PendingSignUp, code: str) -> SignUp:
    """The right code takes the place and sends the confirmation; the pending row goes.
    ValidationError on "code" (wrong, expired, too many tries: a wrong try is counted), or the
    refusals of `services.sign_up` (full, closed meanwhile: nothing changes, the code stays)."""
    return _codes(pending).check(code, then=lambda: _confirm(pending))


def _confirm(pending: PendingSignUp) -> SignUp:
    signup = services.sign_up(
        pending.activity,
        name=pending.name,
        phone=pending.phone,
        privacy_accepted_at=pending.privacy_accepted_at,
    )
    pending.delete()  # its codes with it
    return signup


def delete_unverified(now=None) -> int:
    """PIPL: a sign-up whose phone was never confirmed is not kept beyond a day."""
    cutoff = (now or timezone.now()) - UNVERIFIED_KEPT
    _total, rows = PendingSignUp.objects.filter(created_at__lt=cutoff).delete()
    return rows.get(PendingSignUp._meta.label, 0)
