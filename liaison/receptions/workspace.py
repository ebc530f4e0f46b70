"""工作台 — what reception days add to the staff workspace."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.accounts.workspace import WorkItem, day, flag
from liaison.core import registry
from liaison.core.permissions import restrict

from .models import Duty
from .schedule import upcoming_receptions


@registry.workspace.register
def items(user, today, now) -> list[WorkItem]:
    if user.is_administrator:
        return []  # a superuser keeps the administrator's list whatever role the account has
    if user.role == Role.STATION_STAFF:
        return _station_receptions(user, today)
    if user.role == Role.COMMITTEE_STAFF:
        return [
            WorkItem(
                "work-reception-days", _("Reception days"), reverse("receptions:reception-days")
            )
        ]
    if user.role == Role.DEPUTY:
        return [_my_duties(user, today)]
    return []


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
