"""add_working_days: the end of the Nth working day after the event's day."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from liaison.workdays.deadlines import SkippedDay, add_working_days

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_issue_example_reply_within_3_working_days():
    # Accepted Fri 2025-09-26; Sat 09-27 off, Sun 09-28 a make-up working day.
    deadline = add_working_days(date(2025, 9, 26), 3)

    assert deadline.due_date == date(2025, 9, 30)
    assert deadline.due_at == datetime.combine(date(2025, 9, 30), time.max, tzinfo=SHANGHAI)
    assert not deadline.provisional
    x = deadline.explanation
    assert x.start_day == date(2025, 9, 26)
    assert x.counted == (date(2025, 9, 28), date(2025, 9, 29), date(2025, 9, 30))
    assert x.skipped == (SkippedDay(date(2025, 9, 27), "weekend"),)
    assert x.makeup_days == (date(2025, 9, 28),)
    assert x.missing_years == ()


def test_the_issue_example_answer_within_15_working_days():
    deadline = add_working_days(date(2025, 9, 26), 15)

    assert deadline.due_date == date(2025, 10, 23)
    x = deadline.explanation
    assert len(x.counted) == 15
    assert x.makeup_days == (date(2025, 9, 28), date(2025, 10, 11))
    runs = [(r.first, r.last, r.reason, r.name) for r in x.skipped_runs]
    assert (date(2025, 10, 1), date(2025, 10, 8), "holiday", "国庆节、中秋节") in runs
    assert (date(2025, 9, 27), date(2025, 9, 27), "weekend", "") in runs


def test_the_events_own_working_day_never_counts():
    # Mon 2025-03-03 + 1 is Tue 03-04, not Monday itself, whatever the hour.
    morning = datetime(2025, 3, 3, 8, 0, tzinfo=SHANGHAI)
    assert add_working_days(morning, 1).due_date == date(2025, 3, 4)
    assert add_working_days(date(2025, 3, 3), 1).due_date == date(2025, 3, 4)


def test_an_event_on_a_holiday_counts_from_the_first_working_day_after():
    # Accepted on 2025-10-03 (National Day): 10-04..08 off, Thu 10-09, Fri 10-10, Sat 10-11.
    deadline = add_working_days(date(2025, 10, 3), 3)

    assert deadline.due_date == date(2025, 10, 11)
    assert deadline.explanation.counted[0] == date(2025, 10, 9)
    assert deadline.explanation.skipped[0] == SkippedDay(
        date(2025, 10, 4), "holiday", "国庆节、中秋节"
    )


def test_an_event_on_a_weekend_counts_from_monday():
    # Sat 2025-03-08: Sun off, Mon 03-10 is the first working day.
    assert add_working_days(date(2025, 3, 8), 1).due_date == date(2025, 3, 10)
    assert add_working_days(date(2025, 3, 9), 1).due_date == date(2025, 3, 10)


def test_an_event_on_a_make_up_working_day_does_not_count_it():
    # Sun 2025-09-28 is worked, but it is the event's day.
    assert add_working_days(date(2025, 9, 28), 1).due_date == date(2025, 9, 29)


@pytest.mark.parametrize("n", [0, -1, -15])
def test_zero_or_negative_working_days_are_refused(n):
    with pytest.raises(ValueError):
        add_working_days(date(2025, 9, 26), n)


@pytest.mark.parametrize("n", [1.5, "3", True])
def test_a_number_of_days_that_is_not_an_integer_is_refused(n):
    with pytest.raises(TypeError):
        add_working_days(date(2025, 9, 26), n)


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2025, 9, 26, 10, 0), 3)
