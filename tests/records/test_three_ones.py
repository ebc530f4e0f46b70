"""三个一 at the boundaries: months, quarters and the year are counted in Asia/Shanghai; only
held activities the deputy attended, and only confirmed entries, count; months in the future are
never "behind"."""

from datetime import date

import pytest

from liaison.cases.models import CaseEvent
from liaison.records import three
from liaison.records.three import DONE, FUTURE, LATE, MISSED, OPEN

from .conftest import local

pytestmark = pytest.mark.django_db

ON = date(2026, 12, 31)


def progress(deputy, year=2026, on=ON):
    return three.progress(deputy, year, on=on)


@pytest.mark.parametrize(
    "starts_at, month, quarter",
    [(local(2026, 3, 31, 23, 59), 3, 1), (local(2026, 4, 1, 0, 0), 4, 2)],
)
def test_an_activity_counts_in_the_local_month_and_quarter(
    doings, district, starts_at, month, quarter
):
    doings.activity(starts_at, attended=[district.dep_a])
    found = progress(district.dep_a)
    assert found.contact_months == {month}
    assert found.activity_quarters == {quarter}


@pytest.mark.parametrize(
    "at, month", [(local(2026, 3, 31, 23, 59), 3), (local(2026, 4, 1, 0, 0), 4)]
)
def test_a_case_answer_counts_in_the_local_month(doings, district, at, month):
    doings.response(district.dep_a, at)
    assert progress(district.dep_a).contact_months == {month}
    assert progress(district.dep_a).activity_quarters == set()


def test_the_year_ends_at_midnight_in_shanghai(doings, district):
    # 2025-12-31 23:59 and 2026-01-01 00:00 in Shanghai are both 2025-12-31 in UTC.
    doings.response(district.dep_a, local(2025, 12, 31, 23, 59))
    doings.activity(local(2026, 1, 1, 0, 0), attended=[district.dep_b], kind="report-to-voters")
    doings.activity(
        local(2025, 12, 31, 23, 59), attended=[district.dep_shared], kind="report-to-voters"
    )
    assert progress(district.dep_a, 2025).contact_months == {12}
    assert progress(district.dep_a, 2026).contact_months == set()
    assert progress(district.dep_b, 2026).reported
    assert progress(district.dep_b, 2026).contact_months == {1}
    assert not progress(district.dep_b, 2025).reported
    assert progress(district.dep_shared, 2025).reported
    assert not progress(district.dep_shared, 2026).reported


def test_duties_and_visits_count_by_their_day(doings, district):
    doings.duty(district.dep_a, date(2025, 12, 31))
    doings.duty(district.dep_a, date(2026, 1, 1))
    doings.duty(district.dep_a, date(2026, 2, 2), attended=None)  # not recorded
    doings.duty(district.dep_a, date(2026, 3, 2), attended=False)
    doings.visit(district.dep_a, date(2026, 6, 30))
    assert progress(district.dep_a).contact_months == {1, 6}
    assert progress(district.dep_a, 2025).contact_months == {12}


def test_invited_but_absent_deputies_and_unheld_activities_do_not_count(doings, district):
    doings.activity(local(2026, 5, 5, 9), attended=[district.dep_a], invited=[district.dep_b])
    doings.activity(local(2026, 8, 5, 9), attended=[district.dep_b], status="announced")
    doings.activity(
        local(2026, 9, 5, 9), attended=[district.dep_b], status="cancelled", kind="report-to-voters"
    )
    assert progress(district.dep_a).activity_quarters == {2}
    dep_b = progress(district.dep_b)
    assert dep_b.contact_months == set()
    assert dep_b.activity_quarters == set()
    assert not dep_b.reported


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_only_confirmed_entries_count(doings, district, status):
    doings.entry(district.dep_a, date(2026, 2, 3), kind="voter_contact", status=status)
    doings.entry(district.dep_a, date(2026, 2, 4), kind="survey", status=status)
    doings.entry(district.dep_a, date(2026, 2, 5), kind="report", status=status)
    found = progress(district.dep_a)
    assert (found.contact_months, found.activity_quarters, found.reported) == (set(), set(), False)


def test_confirmed_entries_count_by_kind(doings, district):
    doings.entry(district.dep_a, date(2026, 3, 31), kind="voter_contact")
    doings.entry(district.dep_a, date(2026, 4, 1), kind="training")
    doings.entry(district.dep_a, date(2026, 7, 1), kind="other")
    found = progress(district.dep_a)
    assert found.contact_months == {3}  # a training is an activity, not a contact
    assert found.activity_quarters == {2}
    assert not found.reported
    doings.entry(district.dep_a, date(2026, 11, 1), kind="report")
    assert progress(district.dep_a).reported


def test_a_held_report_activity_is_the_report(doings, district):
    doings.activity(local(2026, 6, 1, 9), attended=[district.dep_a], kind="public-forum")
    assert not progress(district.dep_a).reported
    doings.activity(local(2026, 6, 2, 9), attended=[district.dep_a], kind="report-to-voters")
    assert progress(district.dep_a).reported


def test_months_in_the_future_are_not_behind(doings, district):
    doings.duty(district.dep_a, date(2026, 2, 10))
    found = progress(district.dep_a, on=date(2026, 5, 10))
    states = dict(found.months)
    assert states[1] == MISSED and states[2] == DONE and states[4] == MISSED
    assert states[5] == OPEN  # the current month, before the reminder day
    assert all(states[m] == FUTURE for m in range(6, 13))
    # A reception duty is a contact, not an activity.
    assert dict(found.quarters) == {1: MISSED, 2: OPEN, 3: FUTURE, 4: FUTURE}
    assert found.report_state == OPEN
    assert found.behind_count == 4  # January, March, April and the first quarter

    later = progress(district.dep_a, on=date(2026, 5, 20))
    assert dict(later.months)[5] == LATE
    june = progress(district.dep_a, on=date(2026, 6, 1))
    assert dict(june.quarters)[2] == LATE
    assert progress(district.dep_a, on=date(2026, 10, 31)).report_state == OPEN
    assert progress(district.dep_a, on=date(2026, 11, 1)).report_state == LATE
    assert progress(district.dep_a, on=date(2027, 1, 1)).report_state == MISSED


def test_a_future_year_is_not_behind_and_a_past_year_is_final(district):
    assert not progress(district.dep_a, 2027, on=date(2026, 6, 1)).behind
    assert progress(district.dep_a, 2027, on=date(2026, 6, 1)).months_so_far == 0
    past = progress(district.dep_a, 2025, on=date(2026, 6, 1))
    assert past.behind_count == 12 + 4 + 1


def test_five_queries_for_any_number_of_deputies(doings, district, django_assert_num_queries):
    deputies = [district.dep_a, district.dep_b, district.dep_shared]
    for deputy in deputies:
        doings.duty(deputy, date(2026, 1, 5))
        doings.activity(local(2026, 2, 5, 9), attended=[deputy])
    with django_assert_num_queries(5):
        found = three.progress_for([d.pk for d in deputies], 2026, on=ON)
    assert all(found[d.pk].contact_months == {1, 2} for d in deputies)


def test_counts_for_the_public_page(doings, district):
    case = doings.response(district.dep_a, local(2026, 3, 1, 9), verb="case.replied")
    later = CaseEvent.objects.create(case=case, verb="case.answered", actor_label="代表")
    CaseEvent.objects.filter(pk=later.pk).update(created_at=local(2026, 5, 1, 9))
    doings.visit(district.dep_a, date(2026, 3, 1))
    doings.visit(district.dep_a, date(2026, 3, 1), name="钱", phone="13922223333")
    doings.visit(district.dep_a, date(2026, 4, 1))
    doings.activity(local(2026, 3, 3, 9), attended=[district.dep_a])
    doings.activity(local(2026, 3, 4, 9), attended=[district.dep_a])
    found = three.progress(district.dep_a, 2026, on=ON, with_counts=True)
    assert found.people_received == 3
    assert found.activities_attended == 2
    assert found.cases_answered == {case.pk}  # replied in March, answered in May: one case
    assert found.contact_months == {3, 4, 5}
