"""工作台 — what reception days and bookings add to the staff workspace."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.accounts.workspace import WorkItem, day, flag, url
from liaison.core import registry
from liaison.core.permissions import restrict

from .appointment_selectors import visible_appointments
from .models import AppointmentStatus, Duty
from .schedule import upcoming_receptions


@registry.workspace.register
def items(user, today, now) -> list[WorkItem]:
    if user.is_administrator:
        return _bookings(user, today)
    if user.role == Role.STATION_STAFF:
        return _station_receptions(user, today)
    if user.role == Role.COMMITTEE_STAFF:
        return [
            *_bookings(user, today),
            WorkItem(
                "work-reception-days", _("Reception days"), reverse("receptions:reception-days")
            ),
        ]
    if user.role == Role.DEPUTY:
        return [_my_duties(user, today)]
    return []


def _bookings(user, today) -> list[WorkItem]:
    """线上预约 awaiting the station's confirmation, and today's bookings (one query)."""
    open_ = [AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED]
    counts = visible_appointments(user).aggregate(
        to_confirm=Count("pk", filter=Q(status=AppointmentStatus.BOOKED, date__gte=today)),
        today=Count("pk", filter=Q(status__in=open_, date=today)),
    )
    return [
        WorkItem(
            "work-bookings-to-confirm",
            _("Bookings awaiting confirmation"),
            url("appointments:staff-list", status=AppointmentStatus.BOOKED),
            counts["to_confirm"],
            flag(counts["to_confirm"]),
        ),
        WorkItem(
            "work-bookings-today",
            _("Today's bookings"),
            url("appointments:staff-list", day=today.isoformat()),
            counts["today"],
        ),
    ]


def _station_receptions(user, today) -> list[WorkItem]:
    """Station staff: register a visit, today's receptions (from the rules, with the deputies on
    duty) and the duties whose attendance is still to be recorded."""
    receptions = upcoming_receptions(user.station_id, start=today, days=1)
    meta = " · ".join(
        f"{r.start_time:%H:%M} " + "、".join(d.name for d in r.deputies) for r in receptions
    )
    unrecorded = (
        restrict(Duty.objects.all(), user, "change")
        .filter(date__lt=today, attended__isnull=True)
        .count()
    )
    return [
        WorkItem("work-visit-new", _("Register a visit"), reverse("receptions:visit-new")),
        WorkItem(
            "work-receptions-today",
            _("Today's receptions"),
            reverse("receptions:reception-days"),
            len(receptions),
            meta=meta.strip(),
        ),
        *_bookings(user, today),
        WorkItem(
            "work-attendance",
            _("Attendance to record"),
            reverse("receptions:attendance"),
            unrecorded,
            flag(unrecorded),
        ),
    ]


def _my_duties(user, today) -> WorkItem:
    upcoming = (
        restrict(Duty.objects.all(), user)
        .filter(deputy_id=user.deputy_id, date__gte=today)
        .select_related("station")
        .order_by("date", "start_time")
    )
    first = list(upcoming[:1])
    meta = ""
    if first:
        duty = first[0]
        meta = str(_("next: %(day)s %(time)s, %(station)s")) % {
            "day": day(duty.date),
            "time": f"{duty.start_time:%H:%M}",
            "station": duty.station.name,
        }
    count = upcoming.count() if first else 0
    return WorkItem(
        "work-my-duties",
        _("My reception duties"),
        reverse("receptions:my-duties"),
        count,
        meta=meta,
    )
