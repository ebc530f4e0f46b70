"""Every deployment starts with the years the chinese-calendar package knows (a data migration)."""

from datetime import date

import pytest

from liaison.workdays.models import CalendarDay, ScheduleYear

pytestmark = pytest.mark.django_db


def test_the_package_years_2004_to_2026_are_loaded():
    years = list(ScheduleYear.objects.order_by("year").values_list("year", "source"))

    assert years == [(year, "package") for year in range(2004, 2027)]


def test_a_new_year_break_announced_the_year_before_belongs_to_the_new_years_schedule():
    # The 2012 notice: Saturday 2011-12-31 worked for 元旦 2012.
    day = CalendarDay.objects.get(date=date(2011, 12, 31))

    assert (day.kind, day.name, day.year) == ("makeup", "元旦", 2012)


def test_weekdays_are_never_stored_as_make_up_days():
    assert not CalendarDay.objects.filter(
        kind="makeup", date__week_day__in=[2, 3, 4, 5, 6]
    ).exists()
