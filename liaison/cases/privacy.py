"""The personal data of cases (docs/privacy.md, liaison/core/privacy.py) and its retention."""

from datetime import datetime

from django.db.models import Q

from liaison.core import privacy, registry

from .models import (
    Case,
    CasePhoto,
    LookupCode,
    ReferralChannel,
    ResultAttachment,
    Support,
    SupportCode,
)
from .services import erase_personal_data
from .services.erasure import PERSONAL_FIELDS
from .workflow import FINAL, OPEN, Status

WHO_CALLS_BACK = (
    "The case's station and deputy; a handling department only with the citizen's recorded "
    "consent (`case.see_full_phone`). Each look is logged."
)
NAME_FULL = (
    "The case's station and deputy; committee staff and administrators unless the citizen asked "
    "for confidentiality; a department only with the citizen's consent (`case.see_name`)."
)

privacy.declare(
    Case,
    ["citizen_name"],
    what="Citizen's name",
    purpose="To address the citizen in the answer and on the reply letter.",
    full=NAME_FULL,
    hidden="Everybody else (shown as “(confidential)” or “(not shared with your department)”); "
    "never on public pages, Open311, the 述职报告 or any notice to staff.",
    kept=privacy.KEPT_CASE,
)
privacy.declare(
    Case,
    ["citizen_phone", "citizen_landline"],
    what="Citizen's mobile and landline",
    purpose="SMS notices and the tracking code; calling the citizen back.",
    full=WHO_CALLS_BACK,
    masked="Whoever sees the case (139****5678), administrators, the staff API.",
    hidden="Public pages, Open311.",
    kept=privacy.KEPT_CASE,
)
privacy.declare(
    Case,
    ["citizen_address"],
    what="Citizen's postal address",
    purpose="Posting the reply letter to a citizen without a mobile.",
    full=WHO_CALLS_BACK + " Printed on the reply letter for who may see it.",
    hidden="Everybody else; the staff API says only whether there is one.",
    kept=privacy.KEPT_CASE,
)
privacy.declare(
    CasePhoto,
    ["image"],
    what="Citizen's photos (re-encoded, metadata stripped)",
    purpose="To show the matter to who handles it.",
    full="Whoever sees the case; a department only with the citizen's consent "
    "(`case.see_photos`). Each original opened is logged.",
    hidden="Public pages, Open311.",
    kept=privacy.KEPT_CASE,
)
privacy.declare(
    LookupCode,
    ["phone_key"],
    what="Phone of a “my messages” look-up, as a keyed hash",
    purpose="To check the SMS code and count the look-ups per phone.",
    full="Nobody (only the hash is stored).",
    kept="One day.",
)
privacy.declare(
    Support,
    ["phone"],
    what="Mobile of a citizen who supported a public case (附议)",
    purpose="One SMS when the case is answered (services/support.py `tell_supporters`).",
    full="Nobody: no page, export or API shows it; staff see only the count.",
    hidden="Everybody (staff, the case's citizen, public pages, the APIs).",
    kept="Until the case is closed and LIAISON_RETENTION_DAYS have passed, then emptied (the "
    "keyed hash stays, so the count stays right and a second support is still recognised).",
)
privacy.declare(
    Support,
    ["phone_hash"],
    what="A keyed hash of a supporter's mobile",
    purpose="One support per phone per case.",
    full="Nobody (only the hash is stored).",
    kept="As long as the case exists.",
)
privacy.declare(
    SupportCode,
    ["phone_hash"],
    what="A keyed hash of the phone a support code was sent to",
    purpose="Proves the phone of a supporter (one-time SMS code).",
    full="Nobody (only the hash is stored).",
    kept="One day, like the code rows of the other apps.",
)
privacy.access_verbs("case.phone_viewed", "case.photo_viewed", "case.reply_letter_printed")


def due(cutoff: datetime):
    """Cases whose personal data is due: final before `cutoff`, still holding a contact or a
    photo. A merged case waits for its main case, whose answer reaches it too."""
    holding = Q(pk__in=CasePhoto.objects.values("case_id"))
    for field in PERSONAL_FIELDS:
        holding |= ~Q(**{field: ""})
    return (
        Case.objects.filter(status__in=FINAL, closed_at__lt=cutoff)
        .filter(holding)
        .exclude(status=Status.MERGED, merged_into__status__in=OPEN)
    )


@registry.retention.register
def anonymise(cutoff: datetime) -> dict[str, int]:
    count = 0
    for case in due(cutoff).order_by("pk").iterator():
        erase_personal_data(case, via="retention")  # the citizen's early erase, one case each
        count += 1
    # Supporters' phones: the answer has reached them; the hash keeps the count and the rule.
    # Not those of a case merged into one still open: they are told of its answer yet (附议 of
    # merged cases count on the main case, services/support.py).
    closed = Support.objects.filter(case__status__in=FINAL, case__closed_at__lt=cutoff).exclude(
        case__status=Status.MERGED, case__merged_into__status__in=OPEN
    )
    supporters = privacy.blank_fields(closed, "phone")
    return {"cases": count, "supporters": supporters}


privacy.declare(
    ResultAttachment,
    ["file", "original_name"],
    what="Documents and photos a department sent with its result",
    purpose="The result of the handling; may name the citizen.",
    full="Whoever sees the case.",
    hidden="Public pages, Open311.",
    kept="With the case, as the record of the handling.",
)
privacy.not_personal(ReferralChannel, "name", "the name of a proper channel (courts, 信访)")
privacy.not_personal(ReferralChannel, "name_en", "the name of a proper channel")
