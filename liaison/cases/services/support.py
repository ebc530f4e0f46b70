"""附议 — "me too": a citizen supports a public case with a proved phone (cases/support.py), and
is told when it is answered."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.notifications.services import insert_rows, sms_row

from .. import links
from ..models import Case, CaseEvent, Support
from ..workflow import MACHINE, Status
from .mechanics import case_event

# Statuses in which a case takes support: reviewed and accepted, not yet answered. Once answered
# (or closed) a new supporter would never hear of the answer.
SUPPORT_OPEN = {
    Status.ACCEPTED,
    Status.TO_ASSIGN,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.FEEDBACK,
}
ALREADY = _("You have already supported this matter. Thank you.")


def phone_hash(case: Case, phone: str) -> str:
    """The keyed hash that recognises a second try of the same phone on the same case."""
    return salted_hmac("liaison.cases.support", f"{case.pk}:{phone}").hexdigest()


def takes_support(case: Case) -> bool:
    return case.is_publishable and case.status in SUPPORT_OPEN and not case.merged_into_id


@transaction.atomic
def support_case(case: Case, *, phone: str) -> Support:
    """One citizen's support (附议), one per phone per case; the caller proved the phone by an
    SMS code. The citizen who raised the matter counts already. Raises ValidationError (field
    "phone") for a second support, or when the case no longer takes support."""
    locked = MACHINE.lock(case)
    if not takes_support(locked):
        raise ValidationError({"phone": _("This matter no longer takes support.")})
    if locked.citizen_phone and locked.citizen_phone == phone:
        raise ValidationError({"phone": ALREADY})
    if _counted_through_merged(locked, phone):
        raise ValidationError({"phone": ALREADY})
    try:
        with transaction.atomic():
            support = Support.objects.create(
                case=locked, phone_hash=phone_hash(locked, phone), phone=phone
            )
    except IntegrityError:
        raise ValidationError({"phone": ALREADY}) from None
    locked.supporters = recount_supporters(locked)
    Case.objects.filter(pk=locked.pk).update(supporters=locked.supporters)
    case.supporters = locked.supporters
    # Internal: the timeline says nothing about who; the count is on the case.
    case_event(
        locked,
        "case.supported",
        actor=None,
        from_status=locked.status,
        label=gettext("Citizen"),
        is_public=False,
        supporters=locked.supporters,
    )
    return support


def _merged(case: Case) -> list[Case]:
    from ..selectors import merged_cases

    return merged_cases(case)


def _counted_through_merged(case: Case, phone: str) -> bool:
    """Whether the phone already counts for this matter through a case merged into it: it
    raised one of them, or supported one."""
    merged = _merged(case)
    if not merged:
        return False
    if any(c.citizen_phone == phone for c in merged):
        return True
    return Support.objects.filter(case__in=merged, phone=phone).exists()


def recount_supporters(main: Case) -> int:
    """附议 of a matter: the supporters of the case and of every case merged into it, each phone
    once, none of the phones that raised one of these cases (they count in `raised_by`). A
    support whose phone retention already emptied counts as its own (it cannot be compared).
    Two aggregate queries plus one per level of merged cases."""
    cases = [main, *_merged(main)]
    raised = {c.citizen_phone for c in cases if c.citizen_phone}
    rows = Support.objects.filter(case__in=cases)
    phones = rows.exclude(phone="").exclude(phone__in=raised).values("phone").distinct().count()
    return phones + rows.filter(phone="").count()


def tell_supporters(case: Case, event: CaseEvent, merged: list[Case]) -> int:
    """The answer reaches everyone who supported the case or a case merged into it: one SMS per
    phone and answer (the dedupe key names the event and the phone's hash), none to a phone that
    raised one of these cases itself (it has its own text). Returns how many were queued."""
    cases = [case, *merged]
    raised = {c.citizen_phone for c in cases if c.citizen_phone}
    supports = Support.objects.filter(case__in=cases).exclude(phone="").order_by("pk")
    # Supporters wrote in no language of their own: the site's.
    with translation.override(settings.LANGUAGE_CODE):
        rows = _rows(case, event, supports, raised)
    insert_rows(rows)
    return len(rows)


def _rows(case, event, supports, raised) -> list:
    rows, seen = [], set()
    url = links.public_url(case)
    for support in supports.only("phone"):
        if support.phone in raised or support.phone in seen:
            continue
        seen.add(support.phone)
        key = phone_hash(case, support.phone)[:32]
        rows.append(
            sms_row(
                support.phone,
                "case_answered_supported",
                {"url": url},  # not the tracking number: half of the citizen's key
                dedupe_key=f"case-event:{event.pk}:support:{key}",
            )
        )
    return rows
