"""Every change to receptions. `register_visit` writes the visit and one case per matter in one
transaction: a refused matter leaves neither the visit nor any of its cases behind."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.cases.models import Channel
from liaison.cases.services import submit_case
from liaison.core.audit import record
from liaison.core.permissions import require
from liaison.core.phones import normalize_phone
from liaison.directory.models import Category, Deputy, Station

from .models import (
    Duty,
    GuestKind,
    ReceptionGuest,
    ReceptionRule,
    RuleKind,
    Visit,
    VisitMatter,
    is_mobile,
    today,
    validate_contact_phone,
)
from .schedule import nominal_days, occurrences

MAX_MATTERS = 10


@dataclass(frozen=True)
class Matter:
    category: Category
    title: str
    description: str
    proposed_handling: str = ""


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
    A matter's errors are keyed `matters.<index>.<field>`. A visitor with only a landline may
    give `answer_mobile` for the SMS; without one their cases carry the landline and the
    address, and the answer goes by reply letter."""
    require(
        actor, "station.change", station, _("Your account may not register visits at this station.")
    )
    errors: dict[str, list] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    visitor_name, visitor_address = (visitor_name or "").strip(), (visitor_address or "").strip()
    phone, mobile = normalize_phone(visitor_phone), normalize_phone(answer_mobile)
    landline = ""
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
        else:
            # A visitor with only a landline: no SMS, the answer goes by reply letter or phone.
            landline = phone
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
                citizen_landline=landline,
                citizen_address=visitor_address,
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


# --- Reception days and duty rosters (接待日、值班代表) ---------------------------------------

# Overlap is checked on the actual days over this horizon when a rule has no end.
OVERLAP_HORIZON = timedelta(days=366)


def _validate_rule(rule: ReceptionRule) -> None:
    errors: dict[str, list] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    if rule.kind == RuleKind.WEEKLY and rule.weekday is None:
        error("weekday", _("Choose the weekday of the reception."))
    if rule.kind == RuleKind.MONTHLY and not (rule.day_of_month and 1 <= rule.day_of_month <= 31):
        error("day_of_month", _("Give a day of the month from 1 to 31."))
    if rule.kind == RuleKind.CUSTOM and rule.date is None:
        error("date", _("Give the date of the reception."))
    if rule.start_time and rule.end_time and rule.end_time <= rule.start_time:
        error("end_time", _("The reception must end after it starts."))
    if rule.valid_until and rule.valid_until < rule.valid_from:
        error("valid_until", _("The end of validity cannot be before its start."))
    if errors:
        raise ValidationError(errors)
    if rule.is_active:
        _refuse_overlap(rule)


def _refuse_overlap(rule: ReceptionRule) -> None:
    """Two active rules of a station may not fall on the same day at overlapping times. Their own
    days count; a day moved off a holiday onto another rule's day is merged when listing."""
    others = ReceptionRule.objects.filter(
        station=rule.station_id,
        is_active=True,
        start_time__lt=rule.end_time,
        end_time__gt=rule.start_time,
    ).exclude(pk=rule.pk)
    for other in others:
        first = max(rule.valid_from, other.valid_from)
        ends = [d for d in (rule.valid_until, other.valid_until) if d]
        last = min(ends) if ends else first + OVERLAP_HORIZON
        if first > last:
            continue
        mine = set(nominal_days(rule, first, last))
        clash = sorted(day for day in nominal_days(other, first, last) if day in mine)
        if clash:
            raise ValidationError(
                _(
                    "This rule overlaps another reception of the station on %(date)s "
                    "(%(start)s–%(end)s)."
                )
                % {
                    "date": clash[0].isoformat(),
                    "start": other.start_time.strftime("%H:%M"),
                    "end": other.end_time.strftime("%H:%M"),
                },
                code="overlap",
            )


@transaction.atomic
def save_rule(rule: ReceptionRule, *, actor) -> ReceptionRule:
    """Create or change a reception rule; refused when it overlaps another of the station."""
    require(
        actor,
        "station.change",
        rule.station,
        _("Your account may not change the reception days of this station."),
    )
    # Serialise rule changes of one station, so two overlapping rules cannot both pass the check.
    Station.objects.select_for_update().filter(pk=rule.station_id).first()
    _validate_rule(rule)
    created = rule.pk is None
    rule.save()
    record(
        "reception_rule.created" if created else "reception_rule.changed",
        actor=actor,
        obj=rule,
        station=rule.station_id,
        kind=rule.kind,
        weekday=rule.weekday,
        day_of_month=rule.day_of_month,
        date=rule.date.isoformat() if rule.date else None,
        start=rule.start_time.strftime("%H:%M"),
        end=rule.end_time.strftime("%H:%M"),
        on_holiday=rule.on_holiday,
        is_active=rule.is_active,
    )
    return rule


def _check_duty(*, actor, station: Station, day: date, start_time, deputy: Deputy) -> None:
    require(
        actor, "station.change", station, _("Your account may not assign duties at this station.")
    )
    if not deputy.is_active or not deputy.stations.filter(pk=station.pk).exists():
        raise ValidationError(
            {"deputy": _("%(name)s does not sit in this station.") % {"name": deputy.name}}
        )
    if day < today():
        raise ValidationError({"date": _("This reception is already over.")})
    held = occurrences(ReceptionRule.objects.filter(station=station, is_active=True), day, day)
    if not any(o.start_time == start_time for o in held):
        raise ValidationError(
            {"date": _("The station holds no reception on this day at this time.")}
        )
    if Duty.objects.filter(
        station=station, date=day, start_time=start_time, deputy=deputy
    ).exists():
        raise ValidationError(
            {"deputy": _("%(name)s is already on duty then.") % {"name": deputy.name}}
        )


@transaction.atomic
def assign_duty(*, station: Station, date: date, start_time, deputy: Deputy, actor) -> Duty:
    """Put a deputy on duty at one reception of the station."""
    _check_duty(actor=actor, station=station, day=date, start_time=start_time, deputy=deputy)
    duty = Duty.objects.create(
        station=station, date=date, start_time=start_time, deputy=deputy, assigned_by=actor
    )
    record(
        "duty.assigned",
        actor=actor,
        obj=duty,
        station=station.pk,
        date=date.isoformat(),
        start=start_time.strftime("%H:%M"),
        deputy=deputy.pk,
    )
    return duty


@transaction.atomic
def swap_duty(duty: Duty, to_deputy: Deputy, *, actor) -> Duty:
    """换班: another deputy of the station takes over the duty."""
    _check_duty(
        actor=actor,
        station=duty.station,
        day=duty.date,
        start_time=duty.start_time,
        deputy=to_deputy,
    )
    from_deputy = duty.deputy_id
    duty.deputy, duty.assigned_by = to_deputy, actor
    duty.save()
    record(
        "duty.swapped",
        actor=actor,
        obj=duty,
        station=duty.station_id,
        date=duty.date.isoformat(),
        start=duty.start_time.strftime("%H:%M"),
        from_deputy=from_deputy,
        to_deputy=to_deputy.pk,
    )
    return duty


@transaction.atomic
def record_attendance(duty: Duty, attended: bool, *, actor) -> Duty:
    """出勤: whether the deputy on duty came to the reception, recorded by the station's staff on
    the day or later. It may be corrected; each recording is audited with the previous value."""
    require(
        actor,
        "station.change",
        duty.station,
        _("Your account may not record attendance at this station."),
    )
    locked = Duty.objects.select_for_update().get(pk=duty.pk)
    if locked.date > today():
        raise ValidationError(
            {"attended": _("This reception has not taken place yet: record attendance after it.")}
        )
    previous = locked.attended
    locked.attended = bool(attended)
    locked.attendance_recorded_at = timezone.now()
    # update_fields: `assigned_at` (auto_now) keeps the time the duty was assigned.
    locked.save(update_fields=["attended", "attendance_recorded_at"])
    record(
        "duty.attendance_recorded",
        actor=actor,
        obj=locked,
        station=locked.station_id,
        date=locked.date.isoformat(),
        start=locked.start_time.strftime("%H:%M"),
        deputy=locked.deputy_id,
        attended=locked.attended,
        previous=previous,
    )
    return locked


def clean_guest(*, kind: str, name: str, organisation: str, role: str) -> dict:
    """The guest's fields, stripped and checked (shared with activities' guests)."""
    values = {
        "kind": (kind or "").strip(),
        "name": " ".join((name or "").split()),
        "organisation": " ".join((organisation or "").split()),
        "role": " ".join((role or "").split()),
    }
    errors = {}
    if values["kind"] not in GuestKind.values:
        errors["kind"] = _("Choose what kind of guest this is.")
    if not values["name"]:
        errors["name"] = _("Give the guest's name.")
    if not values["organisation"]:
        errors["organisation"] = _(
            "Give the guest's organisation (e.g. the district housing bureau)."
        )
    for field, limit in (("name", 50), ("organisation", 100), ("role", 50)):
        if len(values[field]) > limit:
            errors[field] = _("At most %(limit)d characters.") % {"limit": limit}
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def add_reception_guest(
    *,
    station: Station,
    date: date,
    start_time,
    actor,
    kind: str,
    name: str,
    organisation: str,
    role: str = "",
) -> ReceptionGuest:
    """联合接待 — an outside participant (a department official, police, a lawyer, …) at one
    reception of the station, shown on the public schedule."""
    require(
        actor, "station.change", station, _("Your account may not invite guests to this station.")
    )
    values = clean_guest(kind=kind, name=name, organisation=organisation, role=role)
    if date < today():
        raise ValidationError({"date": _("This reception is already over.")})
    held = occurrences(ReceptionRule.objects.filter(station=station, is_active=True), date, date)
    if not any(o.start_time == start_time for o in held):
        raise ValidationError(
            {"date": _("The station holds no reception on this day at this time.")}
        )
    if ReceptionGuest.objects.filter(
        station=station,
        date=date,
        start_time=start_time,
        name=values["name"],
        organisation=values["organisation"],
    ).exists():
        raise ValidationError({"name": _("This guest is already listed for that reception.")})
    guest = ReceptionGuest.objects.create(
        station=station, date=date, start_time=start_time, added_by=actor, **values
    )
    record(
        "reception_guest.added",
        actor=actor,
        obj=guest,
        station=station.pk,
        date=date.isoformat(),
        start=start_time.strftime("%H:%M"),
        **values,
    )
    return guest


@transaction.atomic
def remove_reception_guest(guest: ReceptionGuest, *, actor) -> None:
    """The guest will not come after all: removed from the schedule (the audit trail keeps it)."""
    require(
        actor,
        "station.change",
        guest.station,
        _("Your account may not invite guests to this station."),
    )
    record(
        "reception_guest.removed",
        actor=actor,
        obj=guest,
        station=guest.station_id,
        date=guest.date.isoformat(),
        start=guest.start_time.strftime("%H:%M"),
        name=guest.name,
        organisation=guest.organisation,
    )
    guest.delete()
