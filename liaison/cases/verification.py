"""One-time SMS codes: confirming the phone of a new online message (码上找代表), and opening the
tracking page without the phone's last 4 digits.

A code is 6 digits, stored only as a keyed hash, valid for 10 minutes and for 5 wrong tries; a new
one can be asked for after a minute, and a phone receives at most `LIAISON_RATE_CODES_PER_PHONE`
codes a day. The SMS goes through the notification outbox like every other message. A message
whose phone is never confirmed is deleted after a day (`delete_unverified`, a periodic job).
"""

import logging
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from liaison.core import ratelimit
from liaison.notifications.services import enqueue

from . import services
from .models import Case, CasePhoto, Channel, PhoneCode

logger = logging.getLogger("liaison.cases")

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)
UNVERIFIED_KEPT = timedelta(hours=24)

Purpose = PhoneCode.Purpose


def _hash(case: Case, purpose: str, code: str) -> str:
    return salted_hmac(
        "liaison.cases.phone-code", f"{case.pk}:{purpose}:{code}", algorithm="sha256"
    ).hexdigest()


def latest_code(case: Case, purpose: str) -> PhoneCode | None:
    return (
        PhoneCode.objects.filter(case=case, purpose=purpose).order_by("-created_at", "-id").first()
    )


def seconds_until_resend(case: Case, purpose: str) -> int:
    last = latest_code(case, purpose)
    if last is None:
        return 0
    wait = (last.created_at + RESEND_AFTER - timezone.now()).total_seconds()
    return max(int(wait + 0.999), 0)


@transaction.atomic
def send_code(case: Case, purpose: str) -> str:
    """Send a new code to the case's phone and return it (shown on screen in demo mode only).
    ValidationError on "code" when asked again too soon or too often."""
    wait = seconds_until_resend(case, purpose)
    if wait:
        raise ValidationError(
            {
                "code": ngettext(
                    "Please wait %(seconds)d second before asking for a new code.",
                    "Please wait %(seconds)d seconds before asking for a new code.",
                    wait,
                )
                % {"seconds": wait}
            }
        )
    if ratelimit.CODES_PER_PHONE.exceeded(case.citizen_phone):
        raise ValidationError(
            {"code": _("Too many codes were sent to this phone today. Please try again tomorrow.")}
        )
    code = f"{secrets.randbelow(10**6):06d}"
    row = PhoneCode.objects.create(
        case=case,
        purpose=purpose,
        code_hash=_hash(case, purpose, code),
        expires_at=timezone.now() + CODE_LIFETIME,
    )
    with services._in_citizen_language(case):
        if purpose == Purpose.VERIFY:
            text = gettext(
                "Your code to confirm your message is %(code)s (valid for 10 minutes). If you "
                "did not leave a message, please ignore this text."
            )
        else:
            text = gettext(
                "Your code to open message %(number)s is %(code)s (valid for 10 minutes)."
            )
        text = text % {"code": code, "number": case.tracking_number}
    enqueue("sms", case.citizen_phone, text, dedupe_key=f"phone-code:{row.pk}")
    ratelimit.CODES_PER_PHONE.hit(case.citizen_phone)
    return code


def check_code(case: Case, purpose: str, code: str, *, then=None) -> None:
    """Accept the latest code of `purpose`, or raise ValidationError on "code" saying why. A wrong
    try is counted (and committed) before the error is raised. `then(case)` runs in the same
    transaction as using up the code."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(case=case, purpose=purpose)
            .order_by("-created_at", "-id")
            .first()
        )
        if row is None or row.used_at is not None:
            problem = _("Please ask for a code first.")
        elif row.expires_at <= timezone.now():
            problem = _("This code has expired. Please ask for a new one.")
        elif row.attempts >= MAX_ATTEMPTS:
            problem = _("Too many wrong tries. Please ask for a new code.")
        elif len(code) != 6 or not constant_time_compare(row.code_hash, _hash(case, purpose, code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = MAX_ATTEMPTS - row.attempts
            if left:
                problem = ngettext(
                    "The code is not right. You can try %(left)d more time.",
                    "The code is not right. You can try %(left)d more times.",
                    left,
                ) % {"left": left}
            else:
                problem = _("The code is not right. Please ask for a new code.")
        else:
            problem = None
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            if then is not None:
                then(case)
    if problem is not None:
        raise ValidationError({"code": problem})


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
