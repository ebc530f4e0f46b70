"""The work rollup: the stations' and deputies' work counted from the audit events into
`WorkFigure` rows (docs/statistics.md, "Stations and deputies").

Visits, bookings, duties and activities have no timeline of their own: their services write
audit events (`record_event` → `core.AuditEvent`), and these are the source, as the case events
are for `rollup.py`. Each counted event adds a fixed amount that depends on the event alone (a
correction of a duty's attendance carries the previous value; ticking a participant in or out
of the minutes carries the lists), so counting in batches, after the high-water mark and moving
it in the same transaction, gives exactly what a rebuild gives.
"""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import F

from liaison.activities.models import Activity
from liaison.appointments.models import Appointment
from liaison.core.models import AuditEvent
from liaison.directory.models import Station
from liaison.receptions.models import Visit
from liaison.workdays.deadlines import local_day

from .models import RollupMark, WorkFigure

SOURCE = "audit_events"
BATCH = 5000
VERBS = (
    "visit.registered",
    "appointment.attended",
    "duty.attendance_recorded",
    "activity.held",
    "activity.record_changed",
    "activity.checked_in",
)

# Station totals (deputy 0) and each deputy's own (deputy > 0) are different metrics, so that
# summing a station's rows never counts a visit once per receiving deputy.
VISITORS = "visitors"  # 接待人次: every visit registered, bookings attended included
BOOKED = "visitors_booked"  # of which came with a booking (线上预约) that was attended
DUTIES = "duties_attended"  # a row with a positive count is a reception day held
ACTIVITIES = "activities"  # activities held, per kind
PARTICIPANTS = "participants"  # people checked in at them (at the venue or ticked afterwards)
DEPUTY_VISITORS = "deputy.visitors"
DEPUTY_DUTIES = "deputy.duties"
DEPUTY_ACTIVITIES = "deputy.activities"


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _contributions(events: list[AuditEvent]) -> dict[tuple, int]:
    """{(day, station, deputy, kind, metric): amount} for these events."""
    ids = defaultdict(set)
    for event in events:
        ids[event.object_type].add(int(event.object_id))
    visits = Visit.objects.in_bulk(ids["receptions.visit"])
    appointments = Appointment.objects.in_bulk(ids["appointments.appointment"])
    activities = Activity.objects.in_bulk(ids["activities.activity"])
    out: dict[tuple, int] = defaultdict(int)
    for event in events:
        data, pk = event.data or {}, int(event.object_id)
        if event.verb == "visit.registered" and pk in visits:
            visit = visits[pk]
            out[(visit.received_on, visit.station_id, 0, 0, VISITORS)] += 1
            for deputy in data.get("deputies") or ():
                out[(visit.received_on, visit.station_id, deputy, 0, DEPUTY_VISITORS)] += 1
        elif event.verb == "appointment.attended" and pk in appointments:
            booking = appointments[pk]
            out[(booking.date, booking.station_id, 0, 0, BOOKED)] += 1
        elif event.verb == "duty.attendance_recorded":
            day, station = _day(data.get("date")), data.get("station")
            change = int(bool(data.get("attended"))) - int(data.get("previous") is True)
            if day and station and change:
                out[(day, station, 0, 0, DUTIES)] += change
                out[(day, station, data.get("deputy") or 0, 0, DEPUTY_DUTIES)] += change
        elif event.verb.startswith("activity.") and pk in activities:
            activity = activities[pk]
            # A district activity without a station (区级活动) counts under station 0: in the
            # deputies' figures, not in any station's.
            key = (local_day(activity.starts_at), activity.station_id or 0)
            if event.verb == "activity.checked_in":
                out[(*key, 0, activity.kind_id, PARTICIPANTS)] += 1
                continue
            if event.verb == "activity.held":
                out[(*key, 0, activity.kind_id, ACTIVITIES)] += 1
                for deputy in data.get("attended_deputies") or ():
                    out[(*key, deputy, activity.kind_id, DEPUTY_ACTIVITIES)] += 1
            ticked = len(data.get("present") or ()) - len(data.get("absent") or ())
            if ticked:
                out[(*key, 0, activity.kind_id, PARTICIPANTS)] += ticked
    return out


def _apply(counts: dict[tuple, int]) -> None:
    paths = dict(
        Station.objects.filter(pk__in={key[1] for key in counts}).values_list("pk", "region__path")
    )
    names = ("day", "station_id", "deputy_id", "kind_id", "metric")
    for key, n in counts.items():
        if not n or key[1] not in paths:
            continue
        fields = dict(zip(names, key, strict=True))
        if not WorkFigure.objects.filter(**fields).update(count=F("count") + n):
            WorkFigure.objects.create(**fields, region_path=paths[key[1]], count=n)


def update(*, batch: int = BATCH) -> int:
    """Count the audit events after the mark, one batch per transaction. Answers how many."""
    counted = 0
    while True:
        with transaction.atomic():
            mark, _ = RollupMark.objects.select_for_update().get_or_create(source=SOURCE)
            events = list(
                AuditEvent.objects.filter(pk__gt=mark.last_id, verb__in=VERBS)
                .only("pk", "verb", "object_type", "object_id", "data")
                .order_by("pk")[:batch]
            )
            if not events:
                return counted
            _apply(_contributions(events))
            mark.last_id = events[-1].pk
            mark.save(update_fields=["last_id", "updated_at"])
            counted += len(events)


def rebuild(*, batch: int = BATCH) -> int:
    with transaction.atomic():
        mark, _ = RollupMark.objects.select_for_update().get_or_create(source=SOURCE)
        WorkFigure.objects.all().delete()
        mark.last_id = 0
        mark.save(update_fields=["last_id", "updated_at"])
        return update(batch=batch)
