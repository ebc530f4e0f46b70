"""Loading a new year's holiday schedule recomputes the open assignments' due dates and change
windows (like the cases' deadlines): the suggestions app registers a workdays recalculator."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from liaison.suggestions import services
from liaison.suggestions.models import SuggestionAssignment, SuggestionEvent
from liaison.workdays import recalculators
from liaison.workdays import services as workdays
from liaison.workdays.deadlines import local_day
from liaison.workdays.models import ScheduleYear
from liaison.workdays.selectors import missing_years

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOTICE_2027 = """元旦: 01-01~01-03
春节: 02-05~02-11; 调休上班 01-31, 02-20
"""


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def load_2027(people, django_capture_on_commit_callbacks):
    assert not ScheduleYear.objects.filter(year=2027).exists()

    def load():
        with django_capture_on_commit_callbacks(execute=True):
            workdays.load_notice(2027, NOTICE_2027, actor=people.administrator)

    return load


def assign(s, district, people, when, **extra):
    with at(*when):
        return services.assign_suggestion(
            s, actor=people.county_committee, lead=district.department_county, **extra
        )


def test_the_recalculator_is_registered():
    assert services.recalculate_deadlines in recalculators._recalculators


def test_loading_2027_moves_the_due_date_off_the_spring_festival(
    at_step, district, people, load_2027
):
    s = assign(at_step("accepted"), district, people, (2026, 11, 5, 10, 0))
    lead = SuggestionAssignment.objects.get(suggestion=s)
    assert local_day(lead.due_at) == date(2027, 2, 5)  # a Friday, before 2027 is known
    assert 2027 in missing_years(today=date(2026, 11, 5))

    load_2027()

    lead.refresh_from_db()
    assert local_day(lead.due_at) == date(2027, 2, 12)  # 02-05..02-11 春节
    event = SuggestionEvent.objects.get(suggestion=s, verb="suggestion.deadline_recomputed")
    assert event.data["years"] == [2027]
    assert event.data["assignments"][0]["assignment"] == lead.pk


def test_the_change_window_moves_past_new_year(at_step, district, people, load_2027):
    s = assign(
        at_step("accepted"), district, people, (2026, 12, 24, 10, 0), joint=[district.department_a]
    )
    joint = SuggestionAssignment.objects.get(suggestion=s, role="joint")
    assert local_day(joint.change_until) == date(2027, 1, 7)

    load_2027()

    joint.refresh_from_db()
    assert local_day(joint.change_until) == date(2027, 1, 8)  # 01-01 元旦 is a day off
    assert local_day(joint.due_at) == date(2027, 3, 24)  # unchanged


def test_the_re_answer_due_date_moves_too(at_step, district, people, load_2027):
    s = assign(at_step("accepted"), district, people, (2026, 10, 9, 10, 0))
    with at(2027, 1, 5, 10, 0):
        services.answer_suggestion(s, actor=people.lead_handler, grade="C", answer="列入计划。")
        services.evaluate_suggestion(s, actor=people.deputy_a, evaluation="unsatisfied")
    lead = SuggestionAssignment.objects.get(suggestion=s)
    assert local_day(lead.due_at) == date(2027, 2, 5)
    window = lead.change_until

    load_2027()

    lead.refresh_from_db()
    assert local_day(lead.due_at) == date(2027, 2, 12)
    assert lead.change_until == window  # the re-answer round has no change window


def test_answered_and_closed_ones_are_left_alone(at_step, district, people, load_2027):
    s = assign(at_step("accepted"), district, people, (2026, 11, 5, 10, 0))
    with at(2026, 12, 1, 10, 0):
        services.answer_suggestion(s, actor=people.lead_handler, grade="A", answer="已解决。")
    lead = SuggestionAssignment.objects.get(suggestion=s)
    before = lead.due_at

    load_2027()

    lead.refresh_from_db()
    assert lead.due_at == before
    assert not SuggestionEvent.objects.filter(verb="suggestion.deadline_recomputed").exists()
