"""The 2025 schedule (国办发明电〔2024〕12号) as seeded from the chinese-calendar package."""

from datetime import date, timedelta

import pytest

from liaison.workdays.deadlines import is_working_day
from liaison.workdays.models import CalendarDay, DayKind, ScheduleYear

pytestmark = pytest.mark.django_db


def days(first, last):
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def test_2025_is_loaded_from_the_package():
    assert ScheduleYear.objects.get(year=2025).source == "package"


def test_spring_festival_2025_jan_28_to_feb_4_off_with_two_make_up_days():
    assert not any(is_working_day(d) for d in days(date(2025, 1, 28), date(2025, 2, 4)))
    assert is_working_day(date(2025, 1, 26))  # Sunday worked
    assert is_working_day(date(2025, 2, 8))  # Saturday worked
    assert is_working_day(date(2025, 1, 27)) and is_working_day(date(2025, 2, 5))
    assert not is_working_day(date(2025, 2, 9))  # an ordinary Sunday
    assert CalendarDay.objects.get(date=date(2025, 1, 29)).name == "春节"
    assert CalendarDay.objects.get(date=date(2025, 1, 26)).kind == DayKind.MAKEUP


def test_labour_day_2025_may_1_to_5_off_and_sunday_april_27_worked():
    assert not any(is_working_day(d) for d in days(date(2025, 5, 1), date(2025, 5, 5)))
    assert is_working_day(date(2025, 4, 27))
    assert is_working_day(date(2025, 4, 30)) and is_working_day(date(2025, 5, 6))
    assert CalendarDay.objects.get(date=date(2025, 5, 2)).name == "劳动节"


def test_national_day_and_mid_autumn_2025_oct_1_to_8_off_two_make_up_days():
    assert not any(is_working_day(d) for d in days(date(2025, 10, 1), date(2025, 10, 8)))
    assert is_working_day(date(2025, 9, 28))  # Sunday
    assert is_working_day(date(2025, 10, 11))  # Saturday
    assert is_working_day(date(2025, 10, 9))
    # The notice names the break as one: 国庆节、中秋节.
    assert CalendarDay.objects.get(date=date(2025, 10, 6)).name == "国庆节、中秋节"
    assert CalendarDay.objects.get(date=date(2025, 9, 28)).name == "国庆节、中秋节"


def test_2025_has_exactly_the_official_exceptions():
    weekdays_off = CalendarDay.objects.filter(
        date__year=2025, kind=DayKind.HOLIDAY, date__week_day__in=[2, 3, 4, 5, 6]
    )
    makeup = CalendarDay.objects.filter(date__year=2025, kind=DayKind.MAKEUP)
    # 元旦 1, 春节 6, 清明 1, 劳动节 3, 端午 1, 国庆中秋 6 weekdays off; 5 weekend days worked.
    assert weekdays_off.count() == 18
    assert sorted(makeup.values_list("date", flat=True)) == [
        date(2025, 1, 26),
        date(2025, 2, 8),
        date(2025, 4, 27),
        date(2025, 9, 28),
        date(2025, 10, 11),
    ]
