"""Every change to receptions. `register_visit` writes the visit and one case per matter in one
transaction: a refused matter leaves neither the visit nor any of its cases behind."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.cases.models import Channel
from liaison.cases.services import submit_case
from liaison.cases.workflow import NotAllowed
from liaison.core.audit import record
from liaison.core.phones import normalize_phone
from liaison.directory.models import Category, Deputy, Station

from .models import Visit, VisitMatter, is_mobile, today, validate_contact_phone

MAX_MATTERS = 10


@dataclass(frozen=True)
class Matter:
    category: Category
    title: str
    description: str
    proposed_handling: str = ""


def may_register(user, station: Station) -> bool:
    """Station staff of the station, committee staff covering it, administrators."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    if user.role == Role.COMMITTEE_STAFF:
        return station.region.path.startswith(user.region.path)
    return user.role == Role.STATION_STAFF and user.station_id == station.pk


@transaction.atomic
def register_visit(
    *,
    actor,
    station: Station,
    visitor_name: str,
    visitor_phone: str,
    matters: Sequence[Matter],
    privacy_accepted: bool,
    deputies: Sequence[Deputy] = (),
    received_on: date | None = None,
    answer_mobile: str = "",
    visitor_address: str = "",
    notes: str = "",
    confidential: bool = False,
    public_consent: bool = False,
) -> Visit:
    """接待选民登记. The cases go to the first receiving deputy (or the station as a whole).
    A matter's errors are keyed `matters.<index>.<field>`."""
    if not may_register(actor, station):
        raise NotAllowed(_("Your account may not register visits at this station."))
    errors: dict[str, list] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    visitor_name, visitor_address = (visitor_name or "").strip(), (visitor_address or "").strip()
    phone, mobile = normalize_phone(visitor_phone), normalize_phone(answer_mobile)
    received_on = received_on or today()
    if not visitor_name:
        error("visitor_name", _("Please give the visitor's name."))
    try:
        validate_contact_phone(phone)
    except ValidationError as invalid:
        errors.setdefault("visitor_phone", []).extend(invalid.error_list)
    else:
        if is_mobile(phone):
            mobile = phone
        elif not mobile:
            error(
                "answer_mobile",
                _("The answer is sent by SMS: give a mobile number as well as the landline."),
            )
    if received_on > today():
        error("received_on", _("The reception day cannot be in the future."))
    for deputy in deputies:
        if not deputy.is_active or not deputy.stations.filter(pk=station.pk).exists():
            error(
                "deputies",
                _("%(name)s does not sit in this station.") % {"name": deputy.name},
            )
    if not matters:
        error("matters", _("Record at least one matter the visitor raised."))
    elif len(matters) > MAX_MATTERS:
        error("matters", _("Record at most %(max)d matters per visit.") % {"max": MAX_MATTERS})
    if not privacy_accepted:
        error("privacy_accepted", _("The visitor must agree to the privacy notice first."))
    if errors:
        raise ValidationError(errors)

    visit = Visit.objects.create(
        station=station,
        received_on=received_on,
        visitor_name=visitor_name,
        visitor_phone=phone,
        visitor_address=visitor_address,
        notes=(notes or "").strip(),
        created_by=actor,
    )
    visit.deputies.set(deputies)
    numbers = []
    for position, matter in enumerate(matters):
        try:
            case = submit_case(
                channel=Channel.RECEPTION,
                station=station,
                deputy=deputies[0] if deputies else None,
                category=matter.category,
                title=matter.title,
                description=matter.description,
                citizen_name=visitor_name,
                citizen_phone=mobile,
                confidential=confidential,
                public_consent=public_consent,
                privacy_accepted=True,
                privacy_consent={"how": "in_person_at_reception", "visit": visit.pk},
                actor=actor,
            )
        except ValidationError as invalid:
            # Leaving the atomic block rolls back the visit and the cases written so far.
            raise ValidationError(
                {f"matters.{position}.{k}": v for k, v in invalid.message_dict.items()}
            ) from invalid
        VisitMatter.objects.create(
            visit=visit,
            case=case,
            proposed_handling=(matter.proposed_handling or "").strip(),
            position=position,
        )
        numbers.append(case.tracking_number)
    record(
        "visit.registered",
        actor=actor,
        obj=visit,
        station=station.pk,
        deputies=[d.pk for d in deputies],
        cases=numbers,
    )
    return visit
