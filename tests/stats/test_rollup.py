"""The rollup counts the case events: what each step adds, on time or late, at which department,
and the same whether counted as they come or rebuilt at once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from liaison.cases import services
from liaison.cases.models import CaseEvent
from liaison.core import jobs
from liaison.stats import figures, rollup
from liaison.stats.models import CaseFigure, RollupMark
from liaison.workdays.models import ScheduleYear

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD = (date(2020, 1, 1), date(2030, 12, 31))


def at(day: str, hour: int = 10):
    return time_machine.travel(
        datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


def totals(**filters):
    rows = CaseFigure.objects.filter(**filters)
    return figures.compute(rows, *PERIOD)


def snapshot():
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


@pytest.fixture(autouse=True)
def _schedule(db):
    # Weekends only, but not provisional: a schedule for the years the tests travel to.
    for year in (2025, 2026):
        ScheduleYear.objects.get_or_create(year=year)


def test_the_whole_loop_is_counted(flow, district):
    flow.to("closed")
    flow.to("rejected")
    flow.to("withdrawn")
    assert rollup.update() > 0
    f = totals()
    t = f.totals
    assert t["received"] == 3
    assert (t["accepted"], t["rejected"], t["withdrawn"]) == (1, 1, 1)
    assert (t["replied"], t["assigned"], t["signed"], t["reported"]) == (1, 1, 1, 1)
    assert (t["answered"], t["rated"], t["satisfied"], t["resolved"]) == (1, 1, 1, 1)
    assert f.rates["satisfaction"].numerator == 1
    assert f.rates["satisfaction"].denominator == 1
    # Every step was taken at once: due and on time, 0 working days. Two cases were reviewed.
    found = {s.name: (s.on_time.numerator, s.on_time.denominator, s.median) for s in f.steps}
    assert found == {
        "review": (2, 2, 0),
        "reply": (1, 1, 0),
        "sign": (1, 1, 0),
        "handle": (1, 1, 0),
        "answer": (1, 1, 0),
    }
    # Done with the rollup: another run counts nothing more.
    assert rollup.update() == 0
    assert RollupMark.objects.get().last_id == CaseEvent.objects.order_by("pk").last().pk


def test_department_steps_are_counted_at_the_department(flow, district):
    flow.to("closed")
    rollup.update()
    at_department = totals(department_id=district.department_a.pk).totals
    assert (at_department["assigned"], at_department["signed"], at_department["rated"]) == (1, 1, 1)
    assert totals(department_id=0).totals["received"] == 1
    assert totals(department_id=district.department_b.pk).totals["assigned"] == 0


def test_a_late_step_is_due_but_not_on_time(flow, accounts):
    with at("2026-03-02"):  # a Monday
        case = flow.to("accepted")
    with at("2026-03-09"):  # 5 working days later; the deputy has 3
        services.reply_case(case, actor=accounts.deputy_a, text="已收到", settle=True)
    rollup.update()
    reply = {s.name: s for s in totals().steps}["reply"]
    assert (reply.on_time.numerator, reply.on_time.denominator) == (0, 1)
    assert (reply.median, reply.p90) == (5, 5)


def test_a_department_signing_late_is_late_by_its_stored_deadline(flow, accounts, district):
    with at("2026-03-02"):
        case = flow.to("assigned")
    with at("2026-03-05"):  # sign-off was due the next working day
        case = services.sign_assignment(case, actor=accounts.handler_a)
    rollup.update()
    sign = {s.name: s for s in totals().steps}["sign"]
    assert (sign.on_time.numerator, sign.on_time.denominator, sign.median) == (0, 1, 3)


def test_reassignment_moves_the_department_and_abandons_the_old_steps(flow, accounts, district):
    case = flow.to("in_progress")
    case = services.assign_case(
        case, actor=accounts.street_a_committee, lead_department=district.department_county
    )
    rollup.update()
    a = totals(department_id=district.department_a.pk)
    b = totals(department_id=district.department_county.pk)
    assert (a.totals["assigned"], a.totals["signed"]) == (1, 1)
    assert (b.totals["assigned"], b.totals["reassigned"]) == (1, 1)
    handle = {s.name: s for s in totals().steps}["handle"]
    assert handle.on_time.denominator == 0  # neither department reported


def test_rehandling_is_counted_and_the_second_round_too(flow, accounts, district):
    case = flow.to("answered")
    case = services.rate_case(case, rating="unsatisfied")
    case = services.assign_case(
        case, actor=accounts.street_a_committee, lead_department=district.department_a
    )
    rollup.update()
    t = totals().totals
    assert (t["rated"], t["rehandled"], t["satisfied"], t["resolved"]) == (1, 1, 0, 0)
    assert t["assigned"] == 2
    assert totals().rates["rehandling"].numerator == 1


def test_batches_give_what_a_rebuild_gives(flow, accounts, district):
    flow.to("closed")
    flow.to("merged")
    case = flow.to("in_progress")
    services.return_assignment(case, actor=accounts.handler_a, reason="不是我们的")
    rollup.update(batch=1)
    one_by_one = snapshot()
    assert one_by_one
    assert rollup.rebuild(batch=1000) > 0
    assert snapshot() == one_by_one


def test_the_worker_job_and_the_command_count(flow, capsys):
    flow.to("accepted")
    jobs.autodiscover()
    job = {job.name: job for job in jobs.registered()}["stats.update_rollup"]
    result = job.func()
    assert result.startswith("2 case events")
    call_command("stats", "rebuild")
    assert "2 events counted" in capsys.readouterr().out
    assert totals().totals["accepted"] == 1
