"""One-time SMS codes: confirming the phone of a new online message (码上找代表), and opening the
tracking page without the phone's last 4 digits.

A code is 6 digits, stored only as a keyed hash, valid for 10 minutes and for 5 wrong tries; a new
one can be asked for after a minute, and a phone receives at most `LIAISON_RATE_CODES_PER_PHONE`
codes a day. The SMS goes through the notification outbox like every other message. A message
whose phone is never confirmed is deleted after a day (`delete_unverified`, a periodic job).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from liaison.notifications.phonecodes import Codes

from . import services
from .models import Case, CasePhoto, Channel, PhoneCode

logger = logging.getLogger("liaison.cases")

UNVERIFIED_KEPT = timedelta(hours=24)

Purpose = PhoneCode.Purpose


def _codes(case: Case, purpose: str) -> Codes:
    """The case's SMS codes of one purpose (the one code flow: notifications/phonecodes.py)."""
    return Codes(
        PhoneCode.objects.filter(case=case, purpose=purpose),
        {"case": case, "purpose": purpose},
        salt="liaison.cases.phone-code",
        prefix=f"{case.pk}:{purpose}:",
    )


def latest_code(case: Case, purpose: str) -> PhoneCode | None:
    return _codes(case, purpose).latest()


def seconds_until_resend(case: Case, purpose: str) -> int:
    return _codes(case, purpose).seconds_until_resend()


def send_code(case: Case, purpose: str) -> str:
    """Send a new code to the case's phone and return it (shown on screen in demo mode only).
    ValidationError on "code" when asked again too soon or too often. A case without a mobile
    gets no code and "" back: the caller answers as for an unknown number, telling nothing."""
    if not case.citizen_phone:
        return ""

    kind, params = (
        ("case_code", {})
        if purpose == Purpose.VERIFY
        else ("tracking_code", {"number": case.tracking_number})
    )
    return _codes(case, purpose).send(
        case.citizen_phone, kind, params, "phone-code", language=case.language
    )


def check_code(case: Case, purpose: str, code: str, *, then=None) -> None:
    """Accept the latest code of `purpose`, or raise ValidationError on "code" saying why. A wrong
    try is counted (and committed) before the error is raised. `then(case)` runs in the same
    transaction as using up the code."""
    _codes(case, purpose).check(code, then=(lambda: then(case)) if then is not None else None)


def send_verification_code(case: Case) -> str:
    return send_code(case, Purpose.VERIFY)


def verify_case_phone(case: Case, code: str) -> Case:
    """The right code turns the draft into a message (`services.confirm_phone`)."""
    check_code(case, Purpose.VERIFY, code, then=services.confirm_phone)
    case.refresh_from_db()
    return case


def delete_unverified(now=None) -> int:
    """PIPL: a message whose phone was never confirmed is deleted with its photos after a day.
    Drafts have no events (the submission event is written on confirmation)."""
    cutoff = (now or timezone.now()) - UNVERIFIED_KEPT
    drafts = Case.objects.filter(
        channel=Channel.ONLINE, phone_verified_at__isnull=True, created_at__lt=cutoff
    )
    deleted = 0
    for pk in list(drafts.values_list("pk", flat=True)):
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=pk).first()
            if case is None or case.phone_verified_at is not None or case.events.exists():
                continue
            files = [photo.image.name for photo in CasePhoto.objects.filter(case=case)]
            case.delete()  # photos and codes go with it
            transaction.on_commit(lambda names=files: _delete_files(names))
            deleted += 1
    return deleted


def _delete_files(names: list[str]) -> None:
    storage = CasePhoto._meta.get_field("image").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # already gone, or a disk problem: the row is deleted either way
            logger.warning("could not delete photo file %s", name)
