"""Deadlines on the statutory calendar (2026 as loaded: 10-01..10-07 National Day and 中秋)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from liaison.core.errors import TransitionRefused
from liaison.suggestions import services
from liaison.suggestions.models import SuggestionAssignment
from liaison.workdays.deadlines import is_working_day, local_day

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=SHANGHAI), tick=False)


def test_the_calendar_says_what_we_assert():
    assert not any(is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert is_working_day(date(2026, 10, 8))


@pytest.mark.parametrize(
    ("assigned", "complex_", "due"),
    [
        (date(2026, 7, 1), False, date(2026, 10, 8)),  # 10-01 is the National Day holiday
        (date(2026, 4, 1), True, date(2026, 10, 8)),  # six months, the same holiday
        (date(2026, 3, 9), False, date(2026, 6, 9)),  # a Tuesday: as it is
        (date(2026, 3, 7), False, date(2026, 6, 8)),  # Sunday 06-07 → Monday
        (date(2026, 5, 31), False, date(2026, 8, 31)),
        (date(2026, 11, 30), False, date(2027, 3, 1)),  # 02-28 is a Sunday → Monday 03-01
    ],
)
def test_answer_due_three_or_six_months_on_the_next_working_day(
    at_step, district, people, assigned, complex_, due
):
    s = at_step("accepted")
    with at(assigned.year, assigned.month, assigned.day, 10, 0):
        services.assign_suggestion(
            s, actor=people.county_committee, lead=district.department_county, is_complex=complex_
        )
    lead = SuggestionAssignment.objects.get(suggestion=s)
    assert local_day(lead.due_at) == due
    assert lead.due_at.astimezone(SHANGHAI).hour == 23


def test_change_window_is_ten_working_days(at_step, district, people):
    s = at_step("accepted")
    with at(2026, 7, 1, 10, 0):  # Wednesday
        services.assign_suggestion(
            s,
            actor=people.county_committee,
            lead=district.department_county,
            joint=[district.department_a],
        )
    lead = SuggestionAssignment.objects.get(suggestion=s, role="lead")
    assert local_day(lead.change_until) == date(2026, 7, 15)
    with at(2026, 7, 16, 0, 0, 1), pytest.raises(TransitionRefused):
        services.request_change(s, actor=people.joint_handler, reason="不相关")
    with at(2026, 7, 15, 23, 59):
        services.request_change(s, actor=people.lead_handler, reason="不属于本单位职责")
    assert SuggestionAssignment.objects.get(pk=lead.pk).state == "change_requested"


def test_the_window_skips_the_national_day_holiday(at_step, district, people):
    s = at_step("accepted")
    with at(2026, 9, 28, 9, 0):  # Monday; 09-30 is the last working day before 10-08
        services.assign_suggestion(
            s, actor=people.county_committee, lead=district.department_county
        )
    lead = SuggestionAssignment.objects.get(suggestion=s)
    # 09-29, 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12 … 10-16
    assert local_day(lead.change_until) == date(2026, 10, 16)


def test_re_answer_round_due_one_month_later(at_step, people):
    with at(2026, 8, 3, 9, 0):
        s = at_step("answered")
    with at(2026, 8, 31, 9, 0):  # Monday → 09-30 (Wednesday)
        services.evaluate_suggestion(s, actor=people.deputy_a, evaluation="unsatisfied")
    lead = SuggestionAssignment.objects.get(suggestion=s, role="lead")
    assert (lead.state, local_day(lead.due_at)) == ("handling", date(2026, 9, 30))
    # No change window in the re-answer round.
    with at(2026, 9, 1, 9, 0), pytest.raises(TransitionRefused):
        services.request_change(s, actor=people.lead_handler, reason="x")


def test_add_months_clips_to_the_month_end():
    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert services.add_months(date(2026, 12, 15), 3) == date(2027, 3, 15)
