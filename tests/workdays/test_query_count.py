"""The calendar is read in a fixed number of queries, never one per day (docs/design.md, rule 5)."""

from datetime import date, timedelta

import pytest

from liaison.workdays.deadlines import Calendar, add_working_days, working_days_between

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [3, 15, 60, 250])
def test_add_working_days_reads_the_calendar_in_two_queries(n, django_assert_num_queries):
    with django_assert_num_queries(2):
        deadline = add_working_days(date(2025, 9, 26), n)
    assert len(deadline.explanation.counted) == n


def test_working_days_between_reads_the_calendar_in_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        assert working_days_between(date(2025, 1, 1), date(2025, 12, 31)) == 248


def test_one_calendar_computes_many_deadlines_reading_rarely(django_assert_max_num_queries):
    calendar = Calendar()
    with django_assert_max_num_queries(3):
        for i in range(200):
            add_working_days(date(2025, 1, 1) + timedelta(days=i % 40), 15, calendar=calendar)
