"""Reception days on the official 2025 and 2026 schedules: moved to the next working day or
skipped when the rule's day is a holiday; make-up working days count as working days."""

from datetime import date, time

import pytest

from liaison.receptions.models import OnHoliday, ReceptionRule, RuleKind
from liaison.receptions.schedule import upcoming_receptions
from liaison.receptions.services import save_rule
from liaison.workdays.deadlines import is_working_day

from .days_support import rule

pytestmark = pytest.mark.django_db


def days_of(station, start, days):
    return [(o.date, o.moved_from) for o in upcoming_receptions(station, start=start, days=days)]


def test_weekly_monday_on_national_day_moves_to_thursday_oct_9(district, accounts):
    rule(district.station_a, accounts.station_a_staff, weekday=0)
    assert not is_working_day(date(2025, 10, 6)) and is_working_day(date(2025, 10, 9))
    assert days_of(district.station_a, date(2025, 9, 29), 21) == [
        (date(2025, 9, 29), None),
        (date(2025, 10, 9), date(2025, 10, 6)),
        (date(2025, 10, 13), None),
    ]


def test_weekly_monday_on_national_day_is_skipped(district, accounts):
    rule(district.station_a, accounts.station_a_staff, weekday=0, on_holiday=OnHoliday.SKIP)
    assert days_of(district.station_a, date(2025, 9, 29), 21) == [
        (date(2025, 9, 29), None),
        (date(2025, 10, 13), None),
    ]


def test_monthly_15th_in_spring_festival_2026_moves_to_tuesday_feb_24(district, accounts):
    rule(district.station_a, accounts.station_a_staff, kind=RuleKind.MONTHLY, day_of_month=15)
    assert is_working_day(date(2026, 2, 24))
    assert not any(is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert days_of(district.station_a, date(2026, 2, 1), 44) == [
        (date(2026, 2, 24), date(2026, 2, 15)),
        (date(2026, 3, 16), date(2026, 3, 15)),  # a Sunday: moved to Monday
    ]


def test_monthly_15th_in_spring_festival_2026_is_skipped(district, accounts):
    rule(
        district.station_a,
        accounts.station_a_staff,
        kind=RuleKind.MONTHLY,
        day_of_month=15,
        on_holiday=OnHoliday.SKIP,
    )
    assert days_of(district.station_a, date(2026, 2, 1), 28) == []
    assert days_of(district.station_a, date(2026, 4, 1), 30) == [(date(2026, 4, 15), None)]


def test_sunday_make_up_day_sep_28_2025_counts_as_working_day(district, accounts):
    rule(
        district.station_a,
        accounts.station_a_staff,
        kind=RuleKind.CUSTOM,
        date=date(2025, 9, 28),
        on_holiday=OnHoliday.SKIP,
    )
    assert days_of(district.station_a, date(2025, 9, 20), 14) == [(date(2025, 9, 28), None)]


def test_custom_date_on_an_ordinary_sunday_moves_to_monday(district, accounts):
    rule(district.station_a, accounts.station_a_staff, kind=RuleKind.CUSTOM, date=date(2025, 9, 21))
    assert days_of(district.station_a, date(2025, 9, 20), 7) == [
        (date(2025, 9, 22), date(2025, 9, 21))
    ]


def test_rules_merge_sorted_and_deduplicated_by_date_and_time(district, accounts):
    staff = accounts.station_a_staff
    rule(district.station_a, staff, weekday=0)
    # save_rule refuses such a twin; rows written before the check existed still list once.
    # 15 September 2025 is a Monday: the same reception as the weekly rule.
    ReceptionRule.objects.create(
        station=district.station_a,
        kind=RuleKind.MONTHLY,
        day_of_month=15,
        start_time=time(9),
        end_time=time(10),
        valid_from=date(2025, 1, 1),
    )
    rule(district.station_a, staff, weekday=2, start_time=time(14), end_time=time(16))
    assert [
        (o.date, o.start_time)
        for o in upcoming_receptions(district.station_a, start=date(2025, 9, 15), days=7)
    ] == [
        (date(2025, 9, 15), time(9)),
        (date(2025, 9, 17), time(14)),
    ]


def test_validity_and_inactive_rules(district, accounts):
    staff = accounts.station_a_staff
    rule(
        district.station_a,
        staff,
        weekday=0,
        valid_from=date(2025, 9, 20),
        valid_until=date(2025, 9, 30),
    )
    off = rule(district.station_a, staff, weekday=1)
    off.is_active = False
    save_rule(off, actor=staff)
    assert days_of(district.station_a, date(2025, 9, 1), 60) == [
        (date(2025, 9, 22), None),
        (date(2025, 9, 29), None),
    ]
