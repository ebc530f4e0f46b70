"""Slots (预约时段): the places that reception days offer for booking, and which are taken."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext

from liaison.directory.models import Deputy, Station
from liaison.receptions.schedule import Occurrence, upcoming_receptions
from liaison.workdays.deadlines import local_day

from .models import Appointment
from .workflow import TAKEN

MIN_SLOT_MINUTES = 5
BOOKING_DAYS = 30  # how far ahead slots are offered


@dataclass
class Slot:
    """One bookable slot of a reception."""

    date: date
    start_time: time
    end_time: time
    occurrence: Occurrence
    capacity: int
    taken: int = 0
    deputies: list = field(default_factory=list)

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def key(self) -> str:
        """The value of the slot's radio button: 2025-09-29T09:30."""
        return f"{self.date:%Y-%m-%d}T{self.start_time:%H:%M}"

    @property
    def place(self) -> str:
        return self.occurrence.place


def parse_key(key: str) -> tuple[date, time] | None:
    try:
        day, start = (key or "").split("T")
        return date.fromisoformat(day), time.fromisoformat(start)
    except ValueError:
        return None


def aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


def has_begun(appointment: Appointment, now=None) -> bool:
    """The booked slot has started (Asia/Shanghai): too late to cancel, time to mark a no-show."""
    return aware(appointment.date, appointment.start_time) <= (now or timezone.now())


def slot_times(occurrence: Occurrence):
    rule = occurrence.rule
    step = timedelta(minutes=max(rule.slot_minutes or 0, MIN_SLOT_MINUTES))
    begin = datetime.combine(occurrence.date, occurrence.start_time)
    end = datetime.combine(occurrence.date, occurrence.end_time)
    if begin + step > end:  # a reception shorter than one slot is one slot
        yield occurrence.start_time, occurrence.end_time
        return
    while begin + step <= end:
        yield begin.time(), (begin + step).time()
        begin += step


def places_taken(station: Station, first: date, last: date, exclude=None) -> dict:
    rows = Appointment.objects.filter(station=station, date__range=(first, last), status__in=TAKEN)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    counts = rows.values("date", "start_time").annotate(n=Count("id"))
    return {(row["date"], row["start_time"]): row["n"] for row in counts}


def station_slots(
    station: Station, *, now=None, days: int = BOOKING_DAYS, with_full: bool = False, exclude=None
) -> list[Slot]:
    """The bookable slots from now for `days` days, with places left (or all, `with_full`)."""
    now = now or timezone.now()
    first = local_day(now)
    last = first + timedelta(days=days - 1)
    taken = places_taken(station, first, last, exclude)
    slots = []
    for occurrence in upcoming_receptions(station, start=first, days=days):
        capacity = occurrence.rule.slot_capacity
        if capacity <= 0:
            continue
        for start, end in slot_times(occurrence):
            if aware(occurrence.date, start) <= now:
                continue
            slot = Slot(
                date=occurrence.date,
                start_time=start,
                end_time=end,
                occurrence=occurrence,
                capacity=capacity,
                taken=taken.get((occurrence.date, start), 0),
                deputies=occurrence.deputies,
            )
            if with_full or slot.places_left:
                slots.append(slot)
    return slots


def find_slot(station: Station, day: date, start_time: time, *, now=None, exclude=None) -> Slot:
    """The slot at `day` `start_time`, or ValidationError on "slot" saying precisely why not."""
    now = now or timezone.now()
    today = local_day(now)

    def refuse(message):
        raise ValidationError({"slot": [message]})

    if aware(day, start_time) <= now:
        refuse(gettext("This time is already past. Please choose a later slot."))
    if day > today + timedelta(days=BOOKING_DAYS - 1):
        refuse(
            gettext("Bookings open %(days)d days ahead. Please choose an earlier day.")
            % {"days": BOOKING_DAYS}
        )
    held = upcoming_receptions(station, start=day, days=1)
    if not held:
        refuse(
            gettext(
                "The station holds no reception on %(date)s (a closed day or a holiday). "
                "Please choose another day."
            )
            % {"date": formats.date_format(day, "DATE_FORMAT")}
        )
    occurrence = next((o for o in held if o.start_time <= start_time < o.end_time), None)
    if occurrence is not None and occurrence.rule.slot_capacity <= 0:
        refuse(gettext("This reception cannot be booked online. Please call the station."))
    times = dict(slot_times(occurrence)) if occurrence is not None else {}
    if start_time not in times:
        refuse(
            gettext("No reception slot starts at %(time)s on that day.")
            % {"time": start_time.strftime("%H:%M")}
        )
    taken = places_taken(station, day, day, exclude).get((day, start_time), 0)
    return Slot(
        date=day,
        start_time=start_time,
        end_time=times[start_time],
        occurrence=occurrence,
        capacity=occurrence.rule.slot_capacity,
        taken=taken,
        deputies=occurrence.deputies,
    )


def full_message() -> str:
    return gettext("Sorry, this slot is full. Please choose another time.")


def is_slot_full(invalid: ValidationError) -> bool:
    """Whether a ValidationError of these services says the slot is full (409, not 400)."""
    return (
        hasattr(invalid, "error_dict")
        and "slot" in invalid.error_dict
        and any(m == full_message() for m in invalid.message_dict["slot"])
    )


def check_deputy(slot: Slot, deputy: Deputy | None) -> None:
    if deputy is not None and deputy not in slot.deputies:
        raise ValidationError(
            {
                "deputy": [
                    gettext(
                        "%(name)s is not on duty at this reception. Choose a deputy on duty, or "
                        "book with the station."
                    )
                    % {"name": deputy.name}
                ]
            }
        )
