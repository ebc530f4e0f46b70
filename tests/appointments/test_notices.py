"""A booking made, moved or cancelled reaches the station's staff and the deputy on duty."""

from datetime import time

import pytest
import time_machine
from django.utils.translation import override

from liaison.appointments import services as appointments
from liaison.notifications.models import Notification

from .support import MONDAY, TODAY, book, monday_rule, request


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False), override("en"):
        yield


@pytest.fixture
def weekly(district, accounts):
    return monday_rule(district, accounts)


def test_a_booking_tells_the_station_and_the_deputy_on_duty(district, accounts, weekly):
    booking = book(district)
    told = Notification.objects.filter(
        channel="in_app", dedupe_key__startswith="appointment-event:"
    )
    assert {n.recipient for n in told} == {
        str(accounts.station_a_staff.pk),
        str(accounts.deputy_a.pk),  # on duty at 9:00 on MONDAY, though not chosen
    }
    note = told.first()
    assert note.link == f"/staff/appointments/{booking.pk}/" and "小区停车难" in note.body
    assert str(accounts.station_b_staff.pk) not in {n.recipient for n in told}


def test_nobody_is_told_of_a_booking_whose_phone_is_not_confirmed(district, accounts, weekly):
    request(district)
    assert not Notification.objects.filter(channel="in_app").exists()


def test_a_move_and_a_cancellation_are_told_too_with_the_reason(district, accounts, weekly):
    booking = book(district)
    before = Notification.objects.filter(channel="in_app").count()
    booking = appointments.move_appointment(
        booking, actor=accounts.station_a_staff, day=MONDAY, start_time=time(10)
    )
    moved = Notification.objects.filter(channel="in_app").order_by("id")[before:]
    # 10:00 is in the same reception (9:00–11:30), so its deputy on duty is told too.
    assert {n.recipient for n in moved} == {
        str(accounts.station_a_staff.pk),
        str(accounts.deputy_a.pk),
    }
    assert all("09:00–09:30" in n.body for n in moved)  # where it was before
    appointments.cancel_appointment(booking, actor=accounts.station_a_staff, reason="会场检修")
    cancelled = Notification.objects.filter(channel="in_app", body__contains="会场检修")
    assert {n.recipient for n in cancelled} == {
        str(accounts.station_a_staff.pk),
        str(accounts.deputy_a.pk),
    }
