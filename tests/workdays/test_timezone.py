"""The event's day is its day in Asia/Shanghai, whatever time zone the datetime carries."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from liaison.workdays.deadlines import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_half_past_eleven_at_night_in_shanghai_counts_from_that_day():
    event = datetime(2025, 9, 25, 15, 30, tzinfo=UTC)  # 23:30 on Thu 09-25 in Shanghai
    assert event == datetime(2025, 9, 25, 23, 30, tzinfo=SHANGHAI)

    deadline = add_working_days(event, 3)

    assert deadline.explanation.start_day == date(2025, 9, 25)
    assert deadline.due_date == date(2025, 9, 29)  # Fri 26, Sun 28 (worked), Mon 29


def test_half_past_midnight_in_shanghai_counts_from_the_next_day_though_utc_is_the_day_before():
    event = datetime(2025, 9, 25, 16, 30, tzinfo=UTC)  # 00:30 on Fri 09-26 in Shanghai

    deadline = add_working_days(event, 3)

    assert deadline.explanation.start_day == date(2025, 9, 26)
    assert deadline.due_date == date(2025, 9, 30)


def test_the_deadline_ends_at_the_end_of_the_day_in_shanghai():
    deadline = add_working_days(datetime(2025, 9, 25, 16, 30, tzinfo=UTC), 3)

    assert deadline.due_at.astimezone(UTC) == datetime(2025, 9, 30, 15, 59, 59, 999999, tzinfo=UTC)
    assert deadline.due_at > datetime(2025, 9, 30, 23, 59, 59, tzinfo=SHANGHAI)
    assert deadline.due_at < datetime(2025, 10, 1, 0, 0, tzinfo=SHANGHAI)


def test_the_active_time_zone_of_a_request_does_not_change_the_day():
    event = datetime(2025, 9, 25, 16, 30, tzinfo=UTC)
    with timezone.override(ZoneInfo("America/New_York")):
        assert add_working_days(event, 3).due_date == date(2025, 9, 30)
        assert not is_working_day(datetime(2025, 9, 30, 16, 30, tzinfo=UTC))  # 10-01 Shanghai


@time_machine.travel(datetime(2025, 9, 25, 23, 30, tzinfo=SHANGHAI), tick=False)
def test_now_late_at_night_counts_from_today_in_shanghai():
    assert add_working_days(timezone.now(), 1).due_date == date(2025, 9, 26)
    assert working_days_between(timezone.now(), date(2025, 9, 30)) == 4
