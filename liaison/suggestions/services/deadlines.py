"""Handling deadlines of suggestions (代表法: three months, six for complex matters)."""

import calendar as month_calendar
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q

from liaison.workdays.deadlines import (
    Calendar,
    add_working_days,
    end_of_day,
    is_working_day,
    local_day,
)

from ..models import ACTIVE_STATES, Suggestion, SuggestionAssignment
from ..workflow import Status
from .mechanics import suggestion_event

HANDLING_MONTHS = 3  # 代表法: answer within three months of assignment …
COMPLEX_MONTHS = 6  # … six for complex matters
REANSWER_MONTHS = 1  # the re-answer round after 不满意
CHANGE_WINDOW_DAYS = 10  # working days a unit has to ask for a wrong assignment to be changed

Role_ = SuggestionAssignment.Role
State = SuggestionAssignment.State


# --- deadlines ---------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day."""
    years, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def months_due(start: datetime, months: int, calendar: Calendar | None = None) -> datetime:
    """End of the day `months` after start's day, moved on to the next working day when that
    day is a weekend or holiday (on the statutory calendar, liaison.workdays)."""
    calendar = calendar or Calendar()
    day = add_months(local_day(start), months)
    while not is_working_day(day, calendar=calendar):
        day += timedelta(days=1)
    return end_of_day(day)


def change_window_end(start: datetime, calendar: Calendar | None = None) -> datetime:
    return add_working_days(start, CHANGE_WINDOW_DAYS, calendar=calendar).due_at


def open_assignments():
    return SuggestionAssignment.objects.filter(
        state__in=ACTIVE_STATES, suggestion__status=Status.ASSIGNED
    )


def recalculate_deadlines(years: set[int], actor=None) -> int:
    """After a year's holiday schedule changed (a workdays recalculator): recompute the due dates
    and change windows of the open assignments that reach into `years`. The answer is due
    3/6 months after the assignment, the re-answer one month after the 不满意 evaluation; the
    change window is 10 working days after the assignment. One event per suggestion changed."""
    if not years:
        return 0
    first, last = min(years), max(years)
    candidates = (
        open_assignments()
        .filter(assigned_at__year__lte=last)
        .filter(Q(due_at__year__gte=first) | Q(change_until__year__gte=first))
        .order_by()
        .values_list("suggestion_id", flat=True)
        .distinct()
    )
    calendar = Calendar()
    changed = 0
    for pk in list(candidates):
        with transaction.atomic():
            locked = Suggestion.objects.select_for_update().get(pk=pk)
            if locked.status != Status.ASSIGNED:
                continue
            moved = []
            for row in locked.assignments.select_for_update().filter(state__in=ACTIVE_STATES):
                if locked.round > 1 and row.role == Role_.LEAD and locked.evaluated_at:
                    # The re-answer round: its window was closed when it started.
                    due_at = months_due(locked.evaluated_at, REANSWER_MONTHS, calendar)
                    change_until = row.change_until
                else:
                    months = COMPLEX_MONTHS if locked.is_complex else HANDLING_MONTHS
                    due_at = months_due(row.assigned_at, months, calendar)
                    change_until = change_window_end(row.assigned_at, calendar)
                if (due_at, change_until) == (row.due_at, row.change_until):
                    continue
                moved.append(
                    {
                        "assignment": row.pk,
                        "before": row.due_at.isoformat(),
                        "after": due_at.isoformat(),
                    }
                )
                row.due_at, row.change_until = due_at, change_until
                row.save(update_fields=["due_at", "change_until", "updated_at"])
            if not moved:
                continue
            suggestion_event(
                locked,
                "suggestion.deadline_recomputed",
                actor=actor,
                from_status=locked.status,
                years=sorted(years),
                assignments=moved,
            )
            changed += 1
    return changed


def years_in_use() -> set[int]:
    """The years the open assignments' due dates fall in (for the administrators' banner)."""
    return {moment.year for moment in open_assignments().order_by().datetimes("due_at", "year")}
