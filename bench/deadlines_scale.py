"""Deadline recomputation at scale (issue 17): N open steps, then a new year's holiday schedule.

Builds (in its own database, kept between runs; `--rebuild` empties the cases) N open cases in
`in_progress`, each with its signed lead assignment, their clocks started on random moments of
December 2026 (15 working days, the 2027 schedule not loaded yet: provisional deadlines that
reach into 2027), all set-based in SQL: one template case and assignment made through the ORM,
then `INSERT … SELECT` from `generate_series` copying them. Then:

1. removes the 2027 schedule if a previous run loaded it, and recomputes the deadlines of
   {2027} once so that every step holds its provisional, weekends-only deadline (timed as well:
   the same code path);
2. loads the 2027 State Council notice through `workdays.services.load_notice`, which recomputes
   the open deadlines after its commit (the cases' `recalculate_deadlines`, set-based), and times
   that call: how many steps moved, how long, steps per second.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_deadlines_bench \\
        .venv/bin/python -W ignore bench/deadlines_scale.py --steps 100000 [--rebuild]

Figures from one run on the shared 2-core machine; see bench/README.md.
"""

import argparse
import os
import time
from datetime import UTC, datetime

from benchsetup import ensure_database, start_django

start_django("postgres://postgres@127.0.0.1:5432/liaison_deadlines_bench")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from liaison.cases.models import Assignment, Case, CaseEvent  # noqa: E402
from liaison.cases.services import recalculate_deadlines  # noqa: E402
from liaison.directory.models import (  # noqa: E402
    Category,
    Department,
    DepartmentLevel,
    Region,
    RegionLevel,
    Station,
    StationKind,
)
from liaison.workdays import services as workdays  # noqa: E402
from liaison.workdays.models import CalendarDay, ScheduleYear  # noqa: E402

# The 2027 notice as the State Council would publish it (the dates of the bench, not official).
NOTICE_2027 = """元旦: 01-01~01-03
春节: 02-05~02-11; 调休上班 01-31, 02-20
清明节: 04-03~04-05
劳动节: 05-01~05-05; 调休上班 04-25, 05-08
端午节: 06-19~06-21
中秋节: 09-15~09-17
国庆节: 10-01~10-07; 调休上班 09-26, 10-09
"""


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def columns(model, **overrides):
    """(the column list, the SELECT list) copying a template row `t`, with SQL overrides."""
    names = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    return ", ".join(names), ", ".join(overrides.get(name, f"t.{name}") for name in names)


def build(steps: int):
    county = Region.objects.get_or_create(
        code="990101000000", defaults={"name": "基准县", "level": RegionLevel.COUNTY}
    )[0]
    station = Station.objects.get_or_create(
        code="DLBENCH",
        defaults={
            "name": "基准联络站",
            "kind": StationKind.STATION,
            "region": county,
            "address": "基准路1号",
            "phone": "0571-87654321",
        },
    )[0]
    category = Category.objects.get_or_create(code="bench", defaults={"name": "基准分类"})[0]
    department = Department.objects.get_or_create(
        code="DLBENCH-1",
        defaults={"name": "基准局", "region": county, "level": DepartmentLevel.COUNTY},
    )[0]
    start = datetime(2026, 12, 1, tzinfo=UTC)
    template = Case.objects.create(
        tracking_number="T0000000000",
        status="in_progress",
        channel="online",
        station=station,
        region_path=county.code,
        category=category,
        title="基准事项",
        description="截止日期重算基准。",
        privacy_accepted_at=start,
    )
    lead = Assignment.objects.create(
        case=template, department=department, role="lead", state="signed"
    )
    began = time.perf_counter()
    names, select = columns(
        Case,
        tracking_number="'D' || lpad(g::text, 10, '0')",
        due_from="%(start)s + random() * interval '31 days'",
        due_days="15",
        due_at="%(start)s + interval '40 days'",
        due_provisional="true",
        created_at="%(start)s",
        updated_at="%(start)s",
    )
    sql(
        f"INSERT INTO cases_case ({names}) SELECT {select} "
        "FROM cases_case t, generate_series(1, %(n)s) g WHERE t.id = %(template)s",
        {"start": start, "n": steps, "template": template.pk},
    )
    names, select = columns(
        Assignment, case_id="c.id", created_at="c.due_from", updated_at="c.due_from"
    )
    sql(
        f"INSERT INTO cases_assignment ({names}) SELECT {select} "
        "FROM cases_assignment t, cases_case c WHERE t.id = %(lead)s AND c.id <> %(template)s",
        {"lead": lead.pk, "template": template.pk},
    )
    # The template leaves: the bench's cases are the copies.
    Assignment.objects.filter(pk=lead.pk).delete()
    Case.objects.filter(pk=template.pk).delete()
    sql("ANALYZE cases_case")
    sql("ANALYZE cases_assignment")
    print(f"build: {steps:,} cases and assignments in {time.perf_counter() - began:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    print(
        "BENCH_DATABASE_URL=" + os.environ["DATABASE_URL"],
        ".venv/bin/python -W ignore bench/deadlines_scale.py",
        f"--steps {args.steps}" + (" --rebuild" if args.rebuild else ""),
    )
    ensure_database()
    call_command("migrate", verbosity=0)
    if args.rebuild or Case.objects.count() != args.steps:
        sql("TRUNCATE cases_caseevent, cases_assignment, cases_case CASCADE")
        build(args.steps)

    CalendarDay.objects.filter(year=2027).delete()
    ScheduleYear.objects.filter(year=2027).delete()
    began = time.perf_counter()
    changed = recalculate_deadlines({2027})
    seconds = time.perf_counter() - began
    print(f"provisional deadlines (no 2027 schedule): {changed:,} changed in {seconds:.1f} s")

    events = CaseEvent.objects.count()
    began = time.perf_counter()
    workdays.load_notice(2027, NOTICE_2027, actor=None)  # recomputes after its commit
    seconds = time.perf_counter() - began
    moved = CaseEvent.objects.count() - events
    provisional = Case.objects.filter(due_provisional=True).count()
    print(
        f"load the 2027 schedule and recompute: {args.steps:,} open steps, {moved:,} cases moved "
        f"(events), {seconds:.1f} s, {args.steps / seconds:,.0f} steps/s; "
        f"still provisional: {provisional:,}"
    )


if __name__ == "__main__":
    main()
