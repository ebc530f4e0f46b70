"""Duty roster (值班): station staff put deputies of the station on duty and hand duties over."""

from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils.translation import override

from liaison.core.errors import NotAllowed
from liaison.core.models import AuditEvent
from liaison.receptions.models import Duty
from liaison.receptions.services import assign_duty, swap_duty

from .days_support import TODAY, rule

pytestmark = pytest.mark.django_db
MONDAY = date(2025, 9, 29)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False), override("en"):
        yield


@pytest.fixture
def weekly(district, accounts):
    return rule(district.station_a, accounts.station_a_staff, weekday=0)


def assign(district, user, deputy, day=MONDAY, start=time(9)):
    return assign_duty(
        station=district.station_a, date=day, start_time=start, deputy=deputy, actor=user
    )


def test_station_staff_and_committee_assign_deputies_of_the_station(district, accounts, weekly):
    assign(district, accounts.station_a_staff, district.dep_a)
    assign(district, accounts.county_committee, district.dep_shared)
    assert set(Duty.objects.values_list("deputy__name", flat=True)) == {"张明华", "李秀英"}
    event = AuditEvent.objects.filter(verb="duty.assigned").first()
    assert event.data["date"] == "2025-09-29"


@pytest.mark.parametrize("who", ["station_b_staff", "deputy_a", "handler_a"])
def test_others_may_not_assign(district, accounts, weekly, who):
    with pytest.raises(NotAllowed):
        assign(district, getattr(accounts, who), district.dep_a)
    assert not Duty.objects.exists()


def test_a_deputy_from_another_station_is_refused(district, accounts, weekly):
    with pytest.raises(ValidationError, match="does not sit in this station"):
        assign(district, accounts.station_a_staff, district.dep_b)
    assert not Duty.objects.exists()


@pytest.mark.parametrize(
    "day, start",
    [(date(2025, 9, 30), time(9)), (MONDAY, time(14)), (date(2025, 10, 6), time(9))],
)
def test_only_at_an_actual_reception(district, accounts, weekly, day, start):
    # 6 October is National Day: that reception moved to Thursday 9 October.
    with pytest.raises(ValidationError, match="no reception"):
        assign(district, accounts.station_a_staff, district.dep_a, day, start)
    assign(district, accounts.station_a_staff, district.dep_a, date(2025, 10, 9))


def test_not_in_the_past_and_not_twice(district, accounts, weekly):
    with pytest.raises(ValidationError, match="over"):
        assign(district, accounts.station_a_staff, district.dep_a, date(2025, 9, 22))
    assign(district, accounts.station_a_staff, district.dep_a)
    with pytest.raises(ValidationError, match="already on duty"):
        assign(district, accounts.station_a_staff, district.dep_a)
    assert Duty.objects.count() == 1


def test_swap_hands_the_duty_to_another_deputy_of_the_station(district, accounts, weekly):
    duty = assign(district, accounts.station_a_staff, district.dep_a)
    swap_duty(duty, district.dep_shared, actor=accounts.station_a_staff)
    duty.refresh_from_db()
    assert duty.deputy == district.dep_shared
    event = AuditEvent.objects.get(verb="duty.swapped")
    assert event.data["from_deputy"] == district.dep_a.pk
    assert event.data["to_deputy"] == district.dep_shared.pk


def test_swap_refused_outside_station_or_scope(district, accounts, weekly):
    duty = assign(district, accounts.station_a_staff, district.dep_a)
    with pytest.raises(ValidationError):
        swap_duty(duty, district.dep_b, actor=accounts.station_a_staff)
    with pytest.raises(NotAllowed):
        swap_duty(duty, district.dep_shared, actor=accounts.station_b_staff)
    assign(district, accounts.station_a_staff, district.dep_shared)
    with pytest.raises(ValidationError, match="already on duty"):
        swap_duty(duty, district.dep_shared, actor=accounts.station_a_staff)
    duty.refresh_from_db()
    assert duty.deputy == district.dep_a
