"""The set-based rebuild on PostgreSQL (liaison/stats/rebuild_sql.py) gives exactly the rows of the
walk (`rollup._Walk`, what `update()` counts with), row for row, over random case histories through
the real services: re-handling, merges, reassignment, returns, extensions, supplement pauses,
settled replies, referrals, several stations, deputies and channels, and a calendar change in
the middle (a holiday and a make-up working day) that both count on the calendar of the rebuild."""

import contextlib
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison.cases.models import Case, Channel
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.stats import rollup
from liaison.stats.models import CaseFigure, RollupMark
from liaison.workdays.models import CalendarDay, DayKind
from liaison.workdays.services import save_day
from tests.stats.test_rollup_properties import NEXT, START, _steps, flow  # noqa: F401

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the set-based rebuild is PostgreSQL only; SQLite rebuilds with the walk itself",
)


def rows():
    return sorted(
        CaseFigure.objects.values_list(
            "day",
            "region_path",
            "station_id",
            "deputy_id",
            "department_id",
            "category_id",
            "channel",
            "metric",
            "bucket",
            "count",
        )
    )


def both_ways():
    """(rows of the set-based rebuild, rows of the walk), each from an empty rollup."""
    counted = rollup.rebuild()
    by_sql, mark = rows(), RollupMark.objects.get().last_id
    assert rollup.rebuild(walk=True) == counted
    assert RollupMark.objects.get().last_id == mark
    return by_sql, rows()


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plan=st.lists(
        st.tuples(
            st.integers(0, 3),  # which case
            st.integers(0, 11),  # which of the steps its status allows
            st.integers(0, 4),  # days until the step
        ),
        min_size=5,
        max_size=40,
    ),
    holiday=st.integers(0, 30),  # days after START made a holiday once half the plan has run
    makeup=st.integers(0, 10),  # which Saturday after START becomes a make-up working day
)
def test_the_set_based_rebuild_gives_the_rows_of_the_walk(flow, plan, holiday, makeup):  # noqa: F811
    d, a = flow.d, flow.a
    with time_machine.travel(START, tick=False) as clock:
        cases = [
            flow.submit(),
            flow.submit(category=flow.other_category, channel=Channel.PHONE, deputy=None),
            flow.submit(station=d.station_b, deputy=d.dep_b, channel=Channel.RECEPTION),
            flow.submit(deputy=d.dep_shared),
        ]
        steps = _steps(flow)
        for n, (which, choice, days) in enumerate(plan):
            clock.shift(timedelta(days=days, minutes=7))
            if n == len(plan) // 2:
                # The calendar changes halfway: both ways count on today's calendar.
                for day, kind in (
                    (START.date() + timedelta(days=holiday), DayKind.HOLIDAY),
                    (START.date() + timedelta(days=5 + 7 * makeup), DayKind.MAKEUP),
                ):
                    if not CalendarDay.objects.filter(date=day).exists():
                        save_day(
                            CalendarDay(date=day, kind=kind, name="测试"), actor=a.administrator
                        )
            case = Case.objects.get(pk=cases[which].pk)
            allowed = NEXT.get(case.status)
            if not allowed:
                continue
            with contextlib.suppress(TransitionRefused, ValidationError, NotAllowed):
                steps[allowed[choice % len(allowed)]](case)
    by_sql, by_walk = both_ways()
    assert by_sql == by_walk
    assert by_walk  # something was counted: the comparison is not of two empty tables


@pytest.mark.django_db
def test_an_event_history_with_every_branch_is_counted_alike(flow):  # noqa: F811
    """A fixed history through the rarer branches, so that each run checks them whatever the
    random plans above draw: supplement pause, reassignment, return, extension, re-handling."""
    steps = _steps(flow)
    with time_machine.travel(START, tick=False) as clock:
        case = flow.submit()
        for name in (
            "request_info",
            "supplement",
            "accept",
            "reply_propose",
            "assign_a",
            "assign_county",  # reassignment
            "return",
            "assign_a",
            "sign",
            "request_extension",
            "approve_extension",
            "report",
            "answer",
            "rate_unsatisfied",  # re-handling
            "sign",
            "report",
            "answer",
            "rate_basic",
        ):
            clock.shift(timedelta(days=2, hours=3))
            with contextlib.suppress(TransitionRefused, NotAllowed):
                case = steps[name](Case.objects.get(pk=case.pk)) or case
        referred = flow.submit()
        steps["refer"](referred)
        settled = flow.submit()
        steps["accept"](settled)
        clock.shift(timedelta(days=6))
        steps["reply_settle"](Case.objects.get(pk=settled.pk))
    by_sql, by_walk = both_ways()
    assert by_sql == by_walk
    metrics = {row[7] for row in by_sql}
    for metric in ("rehandled", "reassigned", "returned", "extended", "referred_to", "settled"):
        assert metric in metrics, metric


@pytest.mark.django_db
def test_the_rebuild_swaps_in_a_whole_table_with_the_same_indexes(flow):  # noqa: F811
    """A rebuild on an empty history leaves an empty, usable table with the old index names."""

    def indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s ORDER BY 1",
                [CaseFigure._meta.db_table],
            )
            return [name for (name,) in cursor.fetchall()]

    before = indexes()
    assert rollup.rebuild() == 0
    assert indexes() == before and "casefigure_one_row_per_key" in before
    with time_machine.travel(START, tick=False):
        flow.submit()
    assert rollup.update() == 1  # the worker's upsert finds the unique key it needs
    assert rollup.rebuild() == 1
    assert CaseFigure.objects.get(metric="received").count == 1
    assert indexes() == before
