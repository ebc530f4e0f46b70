"""A calendar change moves the review, reply and answer timeliness at the next rebuild, as
docs/statistics.md says ("What a rebuild may change"): those steps are counted on the calendar
as it is when counted; the worker's update counts only new events and leaves them."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from liaison.cases import services
from liaison.stats import figures, rollup, selectors
from liaison.workdays.models import CalendarDay, DayKind, ScheduleYear
from liaison.workdays.services import save_day

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=SHANGHAI)


def steps() -> dict[str, tuple[int, int]]:
    found = figures.compute(selectors.public_rows(), date(2026, 1, 1), date(2026, 12, 31))
    return {s.name: (s.on_time.numerator, s.on_time.denominator) for s in found.steps}


def test_a_new_holiday_moves_review_and_reply_on_time_at_the_rebuild(flow, accounts):
    ScheduleYear.objects.get_or_create(year=2026)  # weekends only: nothing provisional
    with time_machine.travel(at(2, 9), tick=False) as clock:  # Monday 2 March
        case = flow.submit()
        clock.move_to(at(5))  # Thursday: Tue, Wed, Thu = 3 working days > 2 for the review
        case = services.accept_case(case, actor=accounts.station_a_staff)
        clock.move_to(at(11))  # Wednesday: Fri, Mon, Tue, Wed = 4 working days > 3 to reply
        services.reply_case(case, actor=accounts.deputy_a, text="已收到，建议交办。", settle=False)
    rollup.update()
    assert steps()["review"] == (0, 1) and steps()["reply"] == (0, 1)

    for day in (4, 9):  # Wednesday 4 and Monday 9 March become holidays
        save_day(
            CalendarDay(date=date(2026, 3, day), kind=DayKind.HOLIDAY, name="测试假日"),
            actor=accounts.administrator,
        )
    rollup.update()  # counts new events only: what was counted stays
    assert steps()["review"] == (0, 1) and steps()["reply"] == (0, 1)

    rollup.rebuild()  # counted again on today's calendar: 2 and 3 working days, on time
    assert steps()["review"] == (1, 1) and steps()["reply"] == (1, 1)


def test_a_new_holiday_moves_the_answer_step_too(flow, accounts, district):
    ScheduleYear.objects.get_or_create(year=2026)
    with time_machine.travel(at(2, 9), tick=False) as clock:
        case = flow.submit()
        case = services.accept_case(case, actor=accounts.station_a_staff)
        case = services.reply_case(case, actor=accounts.deputy_a, text="建议交办。", settle=False)
        case = services.assign_case(
            case, actor=accounts.street_a_committee, lead_department=district.department_a
        )
        case = services.sign_assignment(case, actor=accounts.handler_a)
        case = services.report_result(case, actor=accounts.handler_a, text="已更换路灯。")
        # Reported Monday 2 March; answered Tuesday 24 March: 16 working days > 15.
        clock.move_to(at(24))
        services.answer_case(case, actor=accounts.deputy_a, text="路灯已修好。")
    rollup.update()
    assert steps()["answer"] == (0, 1)
    save_day(
        CalendarDay(date=date(2026, 3, 12), kind=DayKind.HOLIDAY, name="测试假日"),
        actor=accounts.administrator,
    )
    rollup.update()
    assert steps()["answer"] == (0, 1)
    rollup.rebuild()
    assert steps()["answer"] == (1, 1)
