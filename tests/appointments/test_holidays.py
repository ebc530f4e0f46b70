"""Holidays and bookings: a slot on a reception day moved off a holiday is bookable; a day the
station skips is not (2025 National Day, 2026 Spring Festival)."""

from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils.translation import override

from liaison.appointments.slots import station_slots
from liaison.receptions.models import OnHoliday, RuleKind
from tests.receptions.days_support import rule

from .support import TODAY, book, request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with override("en"):
        yield


def monday(district, accounts, on_holiday):
    return rule(
        district.station_a,
        accounts.station_a_staff,
        weekday=0,
        on_holiday=on_holiday,
        slot_capacity=1,
    )


def days(district):
    return sorted({s.date for s in station_slots(district.station_a)})


@time_machine.travel(TODAY, tick=False)
def test_national_day_monday_moved_to_thursday_oct_9_is_bookable(district, accounts):
    monday(district, accounts, OnHoliday.NEXT_WORKING_DAY)
    assert date(2025, 10, 9) in days(district) and date(2025, 10, 6) not in days(district)
    booked = book(district, day=date(2025, 10, 9))
    assert booked.date == date(2025, 10, 9) and booked.status == "booked"
    with pytest.raises(ValidationError) as excinfo:
        request(district, day=date(2025, 10, 6), phone="13900000009")
    assert "no reception" in excinfo.value.message_dict["slot"][0]


@time_machine.travel(TODAY, tick=False)
def test_national_day_monday_skipped_is_not_bookable(district, accounts):
    monday(district, accounts, OnHoliday.SKIP)
    assert days(district) == [
        date(2025, 9, 29),
        date(2025, 10, 13),
        date(2025, 10, 20),
    ]
    for day in (date(2025, 10, 6), date(2025, 10, 9)):
        with pytest.raises(ValidationError) as excinfo:
            request(district, day=day)
        assert "no reception" in excinfo.value.message_dict["slot"][0]


@time_machine.travel("2026-02-10 10:00 +0800", tick=False)
def test_spring_festival_2026_monthly_15th_moved_to_feb_24(district, accounts):
    rule(
        district.station_a,
        accounts.station_a_staff,
        kind=RuleKind.MONTHLY,
        day_of_month=15,
        start_time=time(14),
        end_time=time(15),
        slot_minutes=60,
        slot_capacity=3,
    )
    assert days(district) == [date(2026, 2, 24)]
    assert book(district, day=date(2026, 2, 24), start=time(14)).end_time == time(15)
