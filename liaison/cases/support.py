"""The public case page and 附议 ("me too", issue 18): a case whose citizen agreed to publication
is shown at `/c/<key>` (links.public_key: not the tracking number, and not guessable from the
address of another public case), and a citizen adds their support with a phone proved by a
one-time SMS code (notifications/phonecodes.py), one per phone per case
(`services.support_case`)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liaison.core.errors import TransitionRefused
from liaison.core.phones import normalize_phone, validate_mobile
from liaison.notifications.phonecodes import Codes

from . import links, services
from .models import Case, SupportCode
from .services.support import ALREADY, phone_hash, takes_support
from .workflow import Status

# Cases a citizen agreed to show publicly, once reviewed and not set aside: the public case page
# and the deputy's public record (records/record.py) show the same ones.
PUBLIC_CASE_HIDDEN = {
    Status.SUBMITTED,
    Status.NEEDS_INFO,
    Status.REJECTED,
    Status.MERGED,
    Status.WITHDRAWN,
}


def public_cases():
    """Every case a public page may show (title, category, station, status; never the citizen)."""
    return Case.objects.verified().publishable().exclude(status__in=PUBLIC_CASE_HIDDEN)


def find_public_case(key: str) -> Case | None:
    pk = links.pk_from_public_key(key or "")
    if pk is None:
        return None
    return public_cases().select_related("category", "station", "deputy").filter(pk=pk).first()


def _codes(case: Case, phone: str) -> Codes:
    digest = phone_hash(case, phone)
    return Codes(
        SupportCode.objects.filter(case=case, phone_hash=digest),
        {"case": case, "phone_hash": digest},
        salt="liaison.cases.support-code",
        prefix=f"{case.pk}:{digest}:",
    )


def mobile(entered: str) -> str:
    phone = normalize_phone(entered or "")
    try:
        validate_mobile(phone)
    except ValidationError as invalid:
        raise ValidationError({"phone": invalid.messages}) from None
    return phone


def _open(case: Case) -> None:
    if not takes_support(case):
        raise TransitionRefused(_("This matter no longer takes support."))


def already(case: Case, phone: str) -> bool:
    """The phone raised the matter itself, or supported it before: no code is sent for it."""
    return (
        phone == case.citizen_phone
        or case.supports.filter(phone_hash=phone_hash(case, phone)).exists()
    )


def send_code(case: Case, entered_phone: str) -> tuple[str, str]:
    """(phone, code): the code is shown on screen in demo mode only. ValidationError on "phone"
    when this phone counts already, on "code" when asked too soon or too often."""
    _open(case)
    phone = mobile(entered_phone)
    if already(case, phone):
        raise ValidationError({"phone": str(ALREADY)})
    # The tracking number is half of what opens the citizen's own page: never sent to others.
    code = _codes(case, phone).send(phone, "case_support_code", {}, "case-support-code")
    return phone, code


def support(case: Case, entered_phone: str, entered_code: str):
    """Check the code and record the support (services.support_case)."""
    phone = mobile(entered_phone)
    _open(case)
    return _codes(case, phone).check(
        entered_code, then=lambda: services.support_case(case, phone=phone)
    )
