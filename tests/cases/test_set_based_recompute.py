"""The set-based deadline recomputation (issue 17) gives exactly what the per-case path gives:
the same due dates, provisional flags, assignment deadlines and events, on random open cases and
random calendars. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison.cases import services
from liaison.cases.models import Assignment, Case, CaseEvent
from liaison.cases.services import system
from liaison.core import chain
from liaison.workdays.models import CalendarDay, ScheduleYear

STATUSES = ["submitted", "accepted", "to_assign", "assigned", "in_progress", "feedback", "closed"]
BASE = datetime(2026, 12, 1, tzinfo=UTC)  # the calendar is random from here to 2028
YEARS = (2027, 2028)


@pytest.fixture
def cases(flow, district):
    """Six cases, each with a lead and a co-handling assignment (their fields set per example)."""
    made = []
    for _ in range(6):
        case = flow.to("in_progress")
        Assignment.objects.create(
            case=case, department=district.department_b, role="co", state="pending"
        )
        made.append(case)
    return made


def moment(offset_hours: int) -> datetime:
    return BASE + timedelta(hours=offset_hours)


case_fields = st.fixed_dictionaries(
    {
        "status": st.sampled_from(STATUSES),
        "due_from": st.integers(0, 24 * 400),
        "due_days": st.integers(1, 30),
        "due_at": st.none() | st.integers(0, 24 * 500),
        "end_of_second": st.booleans(),  # a stored due_at with microseconds, as computed ones
        "due_provisional": st.booleans(),
        "assignments": st.lists(
            st.fixed_dictionaries(
                {
                    "created_at": st.integers(0, 24 * 400),
                    "report_days": st.integers(1, 30),
                    "state": st.sampled_from(["pending", "signed", "withdrawn"]),
                    "stale": st.booleans(),
                }
            ),
            min_size=2,
            max_size=2,
        ),
    }
)
calendar_days = st.lists(
    st.tuples(
        st.dates(date(2027, 1, 1), date(2028, 12, 31)),
        st.sampled_from(["holiday", "makeup"]),
    ),
    max_size=40,
    unique_by=lambda item: item[0],
)


def snapshot() -> dict:
    return {
        "cases": list(
            Case.objects.order_by("pk").values_list("pk", "due_at", "due_provisional", "status")
        ),
        "assignments": list(
            Assignment.objects.order_by("pk").values_list("pk", "sign_due_at", "report_due_at")
        ),
        "events": list(
            CaseEvent.objects.filter(verb="case.deadline_recomputed")
            .order_by("case_id", "pk")
            .values_list("case_id", "actor_id", "actor_label", "from_status", "to_status", "data")
        ),
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fields=st.lists(case_fields, min_size=6, max_size=6),
    days=calendar_days,
    loaded=st.sets(st.sampled_from(YEARS)),
    years=st.sets(st.sampled_from((2026, *YEARS)), min_size=1),
    batch=st.integers(1, 4),
)
def test_set_based_equals_per_case(cases, accounts, fields, days, loaded, years, batch):
    with transaction.atomic():
        CalendarDay.objects.filter(year__in=YEARS).delete()
        ScheduleYear.objects.filter(year__in=YEARS).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(date=day, kind=kind, name="节", year=day.year) for day, kind in days
        )
        for year in loaded:
            ScheduleYear.objects.create(year=year, source="manual", loaded_at=BASE)
        for case, f in zip(cases, fields, strict=True):
            Case.objects.filter(pk=case.pk).update(
                status=f["status"],
                due_from=moment(f["due_from"]),
                due_days=f["due_days"],
                due_at=None
                if f["due_at"] is None
                else moment(f["due_at"]) + timedelta(microseconds=999999 * f["end_of_second"]),
                due_provisional=f["due_provisional"],
            )
            rows = Assignment.objects.filter(case=case).order_by("pk")
            for row, a in zip(rows, f["assignments"], strict=True):
                Assignment.objects.filter(pk=row.pk).update(
                    created_at=moment(a["created_at"]),
                    report_days=a["report_days"],
                    state=a["state"],
                    sign_due_at=moment(a["created_at"] + 24) if a["stale"] else None,
                    report_due_at=moment(a["created_at"] + 48) if a["stale"] else None,
                )
        mark = transaction.savepoint()
        expected_count = system.recalculate_deadlines_per_case(years, accounts.administrator)
        expected = snapshot()
        transaction.savepoint_rollback(mark)
        count = services.recalculate_deadlines(years, accounts.administrator, batch=batch)
        assert snapshot() == expected
        assert count == expected_count
        assert list(chain.verify(CaseEvent)) == []
        transaction.set_rollback(True)


def test_nothing_to_recompute_changes_nothing(cases):
    """A second run finds every deadline right: no update, no event."""
    services.recalculate_deadlines({2027})
    before = snapshot()
    assert services.recalculate_deadlines({2027}) == 0
    assert snapshot() == before
    assert services.recalculate_deadlines(set()) == 0
