"""线上预约 — online appointments with a station's reception (docs/appointments.md).

A reception whose rule has `slot_capacity` > 0 is cut into slots of `slot_minutes`, each with that
many places. A citizen picks a slot (and, if they like, a deputy on duty), gives a topic, a name and
a mobile; a 6-digit SMS code confirms the phone and only then is a place taken. The citizen cancels
or reschedules with the booking code and the phone's last 4 digits; station staff confirm, move,
cancel with a reason, mark no-shows, and register the visit on the day.

Places are counted under a lock on the station row (the same lock `save_rule` takes), so two
people cannot both take the last place of a slot: the second waits, then counts the first.
Lock order is always station, then booking.
"""

import secrets
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core import ratelimit
from liaison.core.errors import DomainError
from liaison.core.events import record_event
from liaison.core.permissions import require
from liaison.core.phones import MOBILE_RE, normalize_phone
from liaison.directory.models import Deputy, Station
from liaison.notifications.models import Notification
from liaison.notifications.phonecodes import Codes
from liaison.notifications.services import enqueue_sms
from liaison.receptions.models import Visit
from liaison.workdays.deadlines import local_day

from .models import Appointment, AppointmentCode
from .models import AppointmentStatus as S
from .slots import (
    aware,
    check_deputy,
    find_slot,
    full_message,
)
from .workflow import MACHINE, OPEN

UNVERIFIED_KEPT = timedelta(hours=24)


# Abuse limits, on the existing settings of liaison/cases/ratelimit.py (no new variables).
BOOKINGS_PER_PHONE = ratelimit.Limit(
    "booking-phone", "LIAISON_RATE_MESSAGES_PER_PHONE", ratelimit.DAY
)
BOOKINGS_PER_IP = ratelimit.Limit("booking-ip", "LIAISON_RATE_MESSAGES_PER_IP", ratelimit.HOUR)
LOOKUP_FAILURES_PER_IP = ratelimit.Limit(
    "booking-lookup-ip", "LIAISON_RATE_TRACKING_FAILURES_PER_IP", ratelimit.HOUR
)
LOOKUP_FAILURES_PER_CODE = ratelimit.Limit(
    "booking-lookup-code", "LIAISON_RATE_TRACKING_FAILURES_PER_NUMBER", ratelimit.HOUR
)


def _record(verb: str, *, obj: Appointment, actor=None, **data):
    """The booking's audit event, through record_event: appointments/notices.py hears of it."""
    return record_event(obj, verb, actor=actor, data=data)


def _lock_station(station_id: int) -> Station:
    return Station.objects.select_for_update().get(pk=station_id)


def _new_code() -> str:
    while True:
        code = f"{secrets.randbelow(10**8):08d}"
        if not Appointment.objects.filter(code=code).exists():
            return code


def _in_language(appointment: Appointment):
    return translation.override(appointment.language or settings.LANGUAGE_CODE)


def _when(appointment: Appointment) -> str:
    day = formats.date_format(appointment.date, "DATE_FORMAT")
    return f"{day} {appointment.start_time:%H:%M}–{appointment.end_time:%H:%M}"


def manage_url() -> str:
    return settings.SITE_URL + reverse("appointments:lookup")


def _sms(appointment: Appointment, event, kind: str, params: dict) -> None:
    """One text per audited change (called in the citizen's language): the event's id is the
    dedupe key."""
    enqueue_sms(appointment.phone, kind, params, dedupe_key=f"appointment-event:{event.pk}")


# --- booking (the citizen) ------------------------------------------------------------------


class TooManyBookings(DomainError):
    """The phone or the network has booked too often (HTTP 429)."""

    code = "too_many_bookings"


def book(*, ip: str | None, **booking) -> tuple[Appointment, str]:
    """`request_appointment` behind the abuse limits, for the web page and the API alike.
    `ip=None` is a partner system, which is limited per phone only."""
    phone = booking["phone"]
    if BOOKINGS_PER_PHONE.exceeded(phone) or (ip and BOOKINGS_PER_IP.exceeded(ip)):
        raise TooManyBookings(
            gettext(
                "Too many bookings were made from this phone number or this network. Please "
                "try again later, or call the station."
            )
        )
    appointment, code = request_appointment(**booking)
    BOOKINGS_PER_PHONE.hit(phone)
    if ip:
        BOOKINGS_PER_IP.hit(ip)
    return appointment, code


@transaction.atomic
def request_appointment(
    *,
    station: Station,
    day: date,
    start_time: time,
    topic: str,
    name: str,
    phone: str,
    deputy: Deputy | None = None,
    language: str = "",
    now=None,
) -> tuple[Appointment, str]:
    """A booking waiting for its SMS code; returns it and the code (shown in demo mode only).
    The place is taken only by `verify_appointment`; a full slot is refused here already."""
    errors: dict[str, list] = {}
    topic, name, phone = (topic or "").strip(), (name or "").strip(), normalize_phone(phone)
    if not topic:
        errors["topic"] = [gettext("Please say in a few words what you want to talk about.")]
    elif len(topic) > 200:
        errors["topic"] = [gettext("Please keep the topic under 200 characters.")]
    if not name:
        errors["name"] = [gettext("Please give your name.")]
    elif len(name) > 50:
        errors["name"] = [gettext("Please keep the name under 50 characters.")]
    if not MOBILE_RE.match(phone):
        errors["phone"] = [
            gettext("Give a mainland mobile number (11 digits): the code is sent by SMS.")
        ]
    if errors:
        raise ValidationError(errors)
    _lock_station(station.pk)
    slot = find_slot(station, day, start_time, now=now)
    check_deputy(slot, deputy)
    if slot.places_left <= 0:
        raise ValidationError({"slot": [full_message()]})
    if Appointment.objects.filter(station=station, date=day, phone=phone, status__in=OPEN).exists():
        raise ValidationError(
            {
                "phone": [
                    gettext(
                        "This phone number already has a booking at this station on that day. "
                        "Change or cancel it with its booking code."
                    )
                ]
            }
        )
    appointment = Appointment.objects.create(
        station=station,
        date=day,
        start_time=start_time,
        end_time=slot.end_time,
        reception_start=slot.occurrence.start_time,
        deputy=deputy,
        topic=topic,
        name=name,
        phone=phone,
        code=_new_code(),
        language=language or translation.get_language() or "",
    )
    return appointment, send_code(appointment)


def _codes(appointment: Appointment) -> Codes:
    """The booking's SMS codes (the one code flow: liaison/notifications/phonecodes.py)."""
    return Codes(
        AppointmentCode.objects.filter(appointment=appointment),
        {"appointment": appointment},
        # Named before the app was split out: another salt would void the codes already sent.
        salt="liaison.receptions.booking-code",
        prefix=f"{appointment.pk}:",
    )


def seconds_until_resend(appointment: Appointment) -> int:
    return _codes(appointment).seconds_until_resend()


def send_code(appointment: Appointment) -> str:
    """Send a new code (after a minute, at most LIAISON_RATE_CODES_PER_PHONE a day)."""
    if appointment.status != S.PENDING:
        raise ValidationError({"code": [gettext("This booking is already confirmed.")]})

    return _codes(appointment).send(
        appointment.phone,
        "booking_code",
        {"station": appointment.station.name},
        "booking-code",
        language=appointment.language,
    )


def verify_appointment(appointment: Appointment, code: str, *, now=None) -> Appointment:
    """The right code takes the place (under the station lock, taken first) and sends the
    confirmation. ValidationError on "code" (wrong, expired, too many tries: a wrong try is
    counted and committed) or on "slot" (the last place went meanwhile: nothing changes, the code
    stays). TransitionRefused when the booking was confirmed already (another tab)."""
    return _codes(appointment).check(
        code,
        before=lambda: _lock_station(appointment.station_id),
        then=lambda: _book(appointment, now=now),
    )


def _transition(
    appointment: Appointment, action: str, seen_status: str | None = None
) -> tuple[Appointment, str]:
    """Lock the booking and check the table; returns it and the status it goes to.
    `seen_status`: what the person saw (a confirmation screen's), so a booking that moved
    meanwhile is refused as such (ConcurrentChange)."""
    # Only the booking is locked (of=self); the station is locked on purpose, and first, where
    # places count.
    return MACHINE.guard(appointment, action, seen_status, "station")


def _book(appointment: Appointment, *, now=None) -> Appointment:
    locked, to = _transition(appointment, "book")
    slot = find_slot(locked.station, locked.date, locked.start_time, now=now, exclude=locked)
    if slot.places_left <= 0:
        raise ValidationError({"slot": [full_message()]})
    if locked.deputy_id and locked.deputy not in slot.deputies:
        locked.deputy = None  # taken off duty meanwhile: the booking is with the station
    locked.status, locked.verified_at = to, timezone.now()
    locked.save(update_fields=["status", "verified_at", "deputy", "updated_at"])
    event = _record(
        "appointment.booked",
        obj=locked,
        station=locked.station_id,
        date=locked.date.isoformat(),
        start=locked.start_time.strftime("%H:%M"),
        deputy=locked.deputy_id,
    )
    with _in_language(locked):
        _sms(
            locked,
            event,
            "booking_confirmed",
            {
                "station": locked.station.name,
                "when": _when(locked),
                "place": slot.place or locked.station.address,
                "code": locked.code,
                "url": manage_url(),
            },
        )
    return locked


def find_booking(code: str, last4: str) -> Appointment | None:
    """The booking with this code whose phone ends in `last4` (phone confirmed), or None."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 8:
        return None
    appointment = (
        Appointment.objects.exclude(status=S.PENDING)
        .select_related("station", "deputy")
        .filter(code=code)
        .first()
    )
    if appointment is None or not constant_time_compare(appointment.phone[-4:], last4 or ""):
        return None
    return appointment


def _not_started(appointment: Appointment, now=None) -> None:
    if aware(appointment.date, appointment.start_time) <= (now or timezone.now()):
        raise ValidationError(
            gettext("The time of this booking has come: please call the station to change it.")
        )


@transaction.atomic
def cancel_by_citizen(appointment: Appointment, *, now=None, seen_status=None) -> Appointment:
    locked, to = _transition(appointment, "cancel", seen_status)
    _not_started(locked, now)
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    event = _record("appointment.cancelled", obj=locked, by="citizen")
    with _in_language(locked):
        _sms(
            locked,
            event,
            "booking_cancelled",
            {
                "code": locked.code,
                "when": _when(locked),
                "station": locked.station.name,
            },
        )
    return locked


def _move(appointment, action, *, day, start_time, deputy, now, actor=None) -> Appointment:
    _lock_station(appointment.station_id)
    locked, to = _transition(appointment, action)
    slot = find_slot(locked.station, day, start_time, now=now, exclude=locked)
    check_deputy(slot, deputy)
    if slot.places_left <= 0:
        raise ValidationError({"slot": [full_message()]})
    before = _when(locked)
    locked.date, locked.start_time, locked.end_time = day, start_time, slot.end_time
    locked.reception_start, locked.deputy, locked.status = slot.occurrence.start_time, deputy, to
    locked.save()
    event = _record(
        "appointment.rescheduled" if action == "reschedule" else "appointment.moved",
        actor=actor,
        obj=locked,
        before=before,
        date=day.isoformat(),
        start=start_time.strftime("%H:%M"),
        deputy=deputy.pk if deputy else None,
    )
    with _in_language(locked):
        _sms(
            locked,
            event,
            "booking_moved",
            {
                "code": locked.code,
                "when": _when(locked),
                "station": locked.station.name,
                "place": slot.place or locked.station.address,
                "before": before,
            },
        )
    return locked


@transaction.atomic
def reschedule_by_citizen(
    appointment: Appointment, *, day: date, start_time: time, deputy=None, now=None
) -> Appointment:
    """改约: another slot with places left; the station confirms the booking again."""
    _not_started(appointment, now)
    return _move(appointment, "reschedule", day=day, start_time=start_time, deputy=deputy, now=now)


# --- the station's side ------------------------------------------------------------------------


# Every step below asks the "appointment.change" row (appointments/permissions.py): staff of the
# booking's station, the committee above it, administrators.
NOT_YOURS = _("Your account may not manage the bookings of this station.")


@transaction.atomic
def confirm_appointment(appointment: Appointment, *, actor) -> Appointment:
    require(actor, "appointment.change", appointment, NOT_YOURS)
    locked, to = _transition(appointment, "confirm")
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    event = _record("appointment.confirmed", actor=actor, obj=locked)
    with _in_language(locked):
        _sms(
            locked,
            event,
            "booking_accepted",
            {
                "station": locked.station.name,
                "code": locked.code,
                "when": _when(locked),
            },
        )
    return locked


@transaction.atomic
def move_appointment(
    appointment: Appointment, *, actor, day: date, start_time: time, deputy=None, now=None
) -> Appointment:
    require(actor, "appointment.change", appointment, NOT_YOURS)
    return _move(
        appointment, "move", day=day, start_time=start_time, deputy=deputy, now=now, actor=actor
    )


@transaction.atomic
def cancel_appointment(
    appointment: Appointment, *, actor, reason: str, seen_status: str | None = None
) -> Appointment:
    """The station cancels; the citizen is told why by SMS."""
    require(actor, "appointment.change", appointment, NOT_YOURS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": [gettext("Please give the reason: the citizen is told it by SMS.")]}
        )
    if len(reason) > 300:
        raise ValidationError({"reason": [gettext("Please keep the reason under 300 characters.")]})
    locked, to = _transition(appointment, "cancel", seen_status)
    locked.status, locked.cancel_reason = to, reason
    locked.save(update_fields=["status", "cancel_reason", "updated_at"])
    event = _record("appointment.cancelled", actor=actor, obj=locked, by="station", reason=reason)
    with _in_language(locked):
        _sms(
            locked,
            event,
            "booking_cancelled_by_station",
            {
                "station": locked.station.name,
                "code": locked.code,
                "when": _when(locked),
                "reason": reason,
            },
        )
    return locked


@transaction.atomic
def mark_no_show(appointment: Appointment, *, actor, now=None) -> Appointment:
    require(actor, "appointment.change", appointment, NOT_YOURS)
    locked, to = _transition(appointment, "no_show")
    if aware(locked.date, locked.start_time) > (now or timezone.now()):
        raise ValidationError(gettext("A no-show can be recorded only once the slot has begun."))
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    _record("appointment.no_show", actor=actor, obj=locked)
    return locked


@transaction.atomic
def mark_attended(appointment: Appointment, visit: Visit, *, actor) -> Appointment:
    """The visit registered from this booking (接待登记) — linked, and the booking attended."""
    require(actor, "appointment.change", appointment, NOT_YOURS)
    locked, to = _transition(appointment, "attend")
    if visit.station_id != locked.station_id:
        raise ValidationError(gettext("The visit was registered at another station."))
    locked.status, locked.visit = to, visit
    locked.save(update_fields=["status", "visit", "updated_at"])
    _record("appointment.attended", actor=actor, obj=locked, visit=visit.pk)
    return locked


# --- periodic work (jobs.py) ------------------------------------------------------------------


def send_reminders(now=None) -> int:
    """The day before: one reminder per booking and day (dedupe key), so any interval is fine."""
    tomorrow = local_day(now or timezone.now()) + timedelta(days=1)
    written = 0
    due = Appointment.objects.filter(date=tomorrow, status__in=OPEN).select_related("station")
    for appointment in due:
        key = f"appointment-reminder:{appointment.pk}:{appointment.date.isoformat()}"
        if Notification.objects.filter(dedupe_key=key).exists():
            continue
        with _in_language(appointment):
            params = {
                "when": _when(appointment),
                "station": appointment.station.name,
                "place": appointment.station.address,
                "code": appointment.code,
                "url": manage_url(),
            }
            enqueue_sms(appointment.phone, "booking_reminder", params, dedupe_key=key)
        written += 1
    return written


def delete_unverified(now=None) -> int:
    """PIPL: a booking whose phone was never confirmed is deleted after a day."""
    cutoff = (now or timezone.now()) - UNVERIFIED_KEPT
    _total, by_model = Appointment.objects.filter(status=S.PENDING, created_at__lt=cutoff).delete()
    return by_model.get(Appointment._meta.label, 0)
