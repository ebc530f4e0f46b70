"""The 2026 schedule (published November 2025) as the chinese-calendar 1.11 package has it."""

from datetime import date, timedelta

import pytest

from liaison.workdays.deadlines import add_working_days, is_working_day
from liaison.workdays.models import CalendarDay, DayKind, ScheduleYear

pytestmark = pytest.mark.django_db


def days(first, last):
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def test_2026_is_loaded_from_the_package():
    assert ScheduleYear.objects.get(year=2026).source == "package"


def test_new_year_2026_jan_1_to_3_off_sunday_jan_4_worked():
    assert not any(is_working_day(d) for d in days(date(2026, 1, 1), date(2026, 1, 3)))
    assert is_working_day(date(2026, 1, 4))
    assert CalendarDay.objects.get(date=date(2026, 1, 2)).name == "元旦"


def test_spring_festival_2026_feb_15_to_23_off_feb_14_and_28_worked():
    assert not any(is_working_day(d) for d in days(date(2026, 2, 15), date(2026, 2, 23)))
    assert is_working_day(date(2026, 2, 14)) and is_working_day(date(2026, 2, 28))
    assert is_working_day(date(2026, 2, 24))


def test_labour_day_and_national_day_2026():
    assert not any(is_working_day(d) for d in days(date(2026, 5, 1), date(2026, 5, 5)))
    assert is_working_day(date(2026, 5, 9))
    assert not any(is_working_day(d) for d in days(date(2026, 10, 1), date(2026, 10, 7)))
    assert is_working_day(date(2026, 9, 20)) and is_working_day(date(2026, 10, 10))
    assert not is_working_day(date(2026, 9, 25))  # 中秋节, a Friday


def test_2026_make_up_days():
    makeup = CalendarDay.objects.filter(date__year=2026, kind=DayKind.MAKEUP)
    assert sorted(makeup.values_list("date", flat=True)) == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]


def test_a_deadline_across_the_2026_spring_festival():
    # Fri 02-13 + 3: Sat 02-14 (worked), then 02-15..23 off, Tue 02-24, Wed 02-25.
    deadline = add_working_days(date(2026, 2, 13), 3)

    assert deadline.due_date == date(2026, 2, 25)
    assert deadline.explanation.makeup_days == (date(2026, 2, 14),)
    assert not deadline.provisional
