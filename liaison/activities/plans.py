"""年度活动计划 — a station's plan for the year against what it held.

A planned activity counts as held when the station held an activity of the same kind in the same
month (local time); each held activity fulfils one plan at most. Two queries whatever the size
of the plan: the plan, and the station's held activities of the year.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from .models import Activity, ActivityStatus, PlannedActivity


@dataclass
class PlanLine:
    plan: PlannedActivity
    held: Activity | None = None
    overdue: bool = False  # its month is over and nothing of its kind was held


@dataclass
class YearPlan:
    year: int
    lines: list[PlanLine] = field(default_factory=list)
    unplanned: list[Activity] = field(default_factory=list)  # held beyond the plan

    @property
    def planned(self) -> int:
        return len(self.lines)

    @property
    def held_as_planned(self) -> int:
        return sum(1 for line in self.lines if line.held is not None)


def _bounds(year: int):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min), tz)
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min), tz)
    return start, end


def year_plan(station, year: int, *, today: date | None = None) -> YearPlan:
    today = today or timezone.localdate()
    plans = list(PlannedActivity.objects.filter(station=station, year=year).select_related("kind"))
    start, end = _bounds(year)
    held = list(
        Activity.objects.filter(
            station=station, status=ActivityStatus.HELD, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("kind")
        .order_by("starts_at", "id")
    )
    free = {a.pk: a for a in held}
    result = YearPlan(year=year)
    for plan in plans:
        match = next(
            (
                a
                for a in free.values()
                if a.kind_id == plan.kind_id and timezone.localtime(a.starts_at).month == plan.month
            ),
            None,
        )
        if match is not None:
            del free[match.pk]
        over = (year, plan.month) < (today.year, today.month)
        result.lines.append(PlanLine(plan=plan, held=match, overdue=match is None and over))
    result.unplanned = list(free.values())
    return result
