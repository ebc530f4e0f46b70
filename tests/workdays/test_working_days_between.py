"""working_days_between: working days after a's day up to and including b's day."""

from datetime import UTC, date, datetime

import pytest

from liaison.workdays.deadlines import add_working_days, working_days_between

pytestmark = pytest.mark.django_db


def test_counts_the_days_after_the_first_up_to_the_second():
    assert working_days_between(date(2025, 9, 26), date(2025, 9, 30)) == 3
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 23)) == 15
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0  # all holiday


def test_the_same_day_is_zero_and_reversed_is_negative():
    assert working_days_between(date(2025, 9, 26), date(2025, 9, 26)) == 0
    assert working_days_between(date(2025, 9, 30), date(2025, 9, 26)) == -3


def test_it_inverts_add_working_days():
    start = datetime(2025, 12, 20, 2, 0, tzinfo=UTC)
    for n in (1, 3, 15, 40):
        deadline = add_working_days(start, n)
        assert working_days_between(start, deadline.due_at) == n


def test_a_whole_year_has_the_official_number_of_working_days():
    assert (
        working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == 248
    )  # 国务院: 2025 has 248 working days
