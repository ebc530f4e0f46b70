"""Every step's due date on the statutory calendar (2025 and 2026 as the package ships them)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from liaison.cases import services
from liaison.cases.models import Assignment
from liaison.workdays import recalculators
from liaison.workdays.models import CalendarDay, ScheduleYear

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10):
    return time_machine.travel(
        datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


def due_day(value) -> date:
    local = timezone.localtime(value, SHANGHAI)
    assert (local.hour, local.minute) == (23, 59)  # the end of the day
    return local.date()


def test_reply_due_three_working_days_after_acceptance(flow, accounts):
    with at("2025-09-26"):  # a Friday; Sunday 09-28 is a make-up working day
        case = services.accept_case(flow.submit(), actor=accounts.station_a_staff)
    assert due_day(case.due_at) == date(2025, 9, 30)
    assert case.due_provisional is False


def test_review_clock_pauses_and_resumes_with_the_days_left(flow, accounts):
    with at("2025-09-22"):  # Monday: review due Wednesday 09-24
        case = flow.submit()
        assert due_day(case.due_at) == date(2025, 9, 24)
        case = services.request_info(case, actor=accounts.station_a_staff, reason="哪一盏灯？")
    assert case.due_at is None and case.paused_days_left == 2
    assert case.events.get(verb="case.info_requested").data["days_left"] == 2
    with at("2025-09-25"):  # Thursday: two working days left → Friday, Sunday (make-up day)
        case = services.supplement_case(case, text="门口第二盏。")
    assert due_day(case.due_at) == date(2025, 9, 28)
    assert case.paused_at is None and case.paused_days_left is None


def test_a_pause_on_the_due_day_still_leaves_one_day(flow, accounts):
    with at("2025-09-22"):
        case = flow.submit()
    with at("2025-09-24"):
        case = services.request_info(case, actor=accounts.station_a_staff, reason="?")
    with at("2025-09-29"):
        case = services.supplement_case(case, text="!")
    assert due_day(case.due_at) == date(2025, 9, 30)


def test_assignment_sign_and_report_deadlines(flow, accounts, district):
    case = flow.to("to_assign")
    with at("2025-09-26"):
        case = services.assign_case(
            case, actor=accounts.street_a_committee, lead_department=district.department_a
        )
    assignment = case.assignments.get()
    assert due_day(assignment.sign_due_at) == date(2025, 9, 28)
    assert due_day(assignment.report_due_at) == date(2025, 10, 23)  # issue #3's example
    assert case.due_at == assignment.sign_due_at
    with at("2025-09-28"):
        case = services.sign_assignment(case, actor=accounts.handler_a)
    assert case.due_at == assignment.report_due_at


def test_extension_approved_moves_the_report_deadline(flow, accounts):
    with at("2025-09-26"):
        case = flow.to("in_progress")
    assignment = case.assignments.get()
    case = services.request_extension(
        case, actor=accounts.handler_a, days_requested=5, reason="需要协调"
    )
    case = services.decide_extension(
        case, actor=accounts.street_a_committee, assignment=assignment, approve=True
    )
    assignment.refresh_from_db()
    assert due_day(assignment.report_due_at) == date(2025, 10, 30)
    assert case.due_at == assignment.report_due_at
    assert assignment.report_days == 20
    assert case.events.filter(verb="case.extension_requested").count() == 1
    assert case.events.get(verb="case.extension_approved").data["days"] == 5


def test_extension_refused_leaves_the_deadline(flow, accounts):
    with at("2025-09-26"):
        case = flow.to("in_progress")
    assignment = case.assignments.get()
    before = assignment.report_due_at
    services.request_extension(case, actor=accounts.handler_a, days_requested=5, reason="…")
    case = services.decide_extension(
        case,
        actor=accounts.street_a_committee,
        assignment=assignment,
        approve=False,
        note="不予延期",
    )
    assignment.refresh_from_db()
    assert assignment.report_due_at == before == case.due_at
    assert assignment.extension_requested_days is None
    assert case.events.filter(verb="case.extension_refused").count() == 1


def test_answer_and_rating_deadlines(flow, accounts):
    case = flow.to("in_progress")
    with at("2025-09-26"):
        case = services.report_result(case, actor=accounts.handler_a, text="已修复")
    assert due_day(case.due_at) == date(2025, 10, 23)  # answer within 15 working days
    with at("2025-09-30"):
        case = services.answer_case(case, actor=accounts.deputy_a, text="已修复")
    assert due_day(case.due_at) == date(2025, 10, 21)  # rating within 10 (after National Day)


def test_loading_a_year_recomputes_provisional_deadlines(flow, accounts, district):
    ScheduleYear.objects.filter(year__gte=2027).delete()
    case = flow.to("to_assign")
    with at("2026-12-28"):
        case = services.assign_case(
            case, actor=accounts.street_a_committee, lead_department=district.department_a
        )
        case = services.sign_assignment(case, actor=accounts.handler_a)
    assert case.due_provisional is True
    before = case.due_at
    assert services.provisional_years() == {2027}
    assert 2027 in recalculators.years_in_use()

    CalendarDay.objects.create(date=date(2027, 1, 1), kind="holiday", name="元旦", year=2027)
    ScheduleYear.objects.create(year=2027, source="manual", loaded_at=timezone.now())
    assert recalculators.run({2027}) == 1

    case.refresh_from_db()
    assert case.due_provisional is False
    assert due_day(case.due_at) == date(2027, 1, 19)  # one working day later than before
    assert due_day(before) == date(2027, 1, 18)
    event = case.events.get(verb="case.deadline_recomputed")
    assert event.from_status == event.to_status == "in_progress"
    assignment = case.assignments.get()
    assert assignment.report_due_at == case.due_at
    assert recalculators.run({2027}) == 0  # nothing moves twice


@pytest.mark.parametrize("status", ["needs_info", "closed", "rejected"])
def test_untimed_steps_have_no_due_date(flow, status):
    assert flow.to(status).due_at is None


def test_awaiting_assignment_is_due_in_two_working_days(flow, settings):
    """待交办 has a deadline like every other step (CASE_ASSIGN_DAYS)."""
    case = flow.to("to_assign")
    assert case.due_days == 2 and case.due_at > case.due_from
    settings.CASE_ASSIGN_DAYS = 4
    assert flow.to("to_assign").due_days == 4


def test_assignment_history_keeps_its_deadlines(flow, accounts, district):
    case = flow.to("assigned")
    case = services.assign_case(
        case, actor=accounts.street_a_committee, lead_department=district.department_a
    )
    states = sorted(Assignment.objects.filter(case=case).values_list("state", flat=True))
    assert states == ["pending", "withdrawn"]
