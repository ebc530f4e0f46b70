"""Booking a slot (线上预约) through the services: the code, the places, and every refusal —
past, closed day, beyond 30 days, not a slot, full, deputy not on duty, wrong or stale code."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils.translation import override

from liaison.appointments import services as appointments
from liaison.appointments.models import Appointment, AppointmentCode, AppointmentStatus
from liaison.appointments.slots import station_slots
from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification

from .support import MONDAY, TODAY, book, monday_rule, request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False), override("en"):
        yield


@pytest.fixture
def weekly(district, accounts):
    return monday_rule(district, accounts)


def slot_error(excinfo) -> str:
    return " ".join(excinfo.value.message_dict["slot"])


def test_slots_of_the_next_30_days_with_places_and_duty(district, weekly):
    slots = station_slots(district.station_a)
    firsts = [(s.date, s.start_time) for s in slots[:6]]
    assert firsts[:5] == [
        (MONDAY, time(h, m)) for h, m in ((9, 0), (9, 30), (10, 0), (10, 30), (11, 0))
    ]
    assert firsts[5] == (date(2025, 10, 9), time(9))  # 6 October is National Day: moved
    assert all(s.places_left == 2 for s in slots)
    assert slots[0].deputies == [district.dep_a] and slots[5].deputies == []
    assert max(s.date for s in slots) <= date(2025, 10, 24)


def test_booking_takes_a_place_after_the_code(district, weekly):
    appointment, code = request(district, deputy=district.dep_a)
    assert appointment.status == AppointmentStatus.PENDING and len(code) == 6
    assert AppointmentCode.objects.get().code_hash != code  # only a hash is stored
    assert station_slots(district.station_a)[0].places_left == 2
    booked = appointments.verify_appointment(appointment, code)
    assert booked.status == AppointmentStatus.BOOKED and booked.verified_at
    assert len(booked.code) == 8 and booked.end_time == time(9, 30)
    assert station_slots(district.station_a)[0].places_left == 1
    sms = Notification.objects.filter(recipient="13912345678").order_by("id")
    assert [n.body for n in sms][-1].startswith("Booked:") and booked.code in sms.last().body
    event = AuditEvent.objects.get(verb="appointment.booked")
    assert event.object_id == str(booked.pk) and "13912345678" not in str(event.data)


def test_a_full_slot_is_refused_and_disappears_from_the_list(district, weekly):
    book(district, phone="13900000001")
    book(district, phone="13900000002")
    assert (MONDAY, time(9)) not in {
        (s.date, s.start_time) for s in station_slots(district.station_a)
    }
    with pytest.raises(ValidationError) as excinfo:
        request(district, phone="13900000003")
    assert "full" in slot_error(excinfo)
    assert Appointment.objects.count() == 2


def test_the_last_place_going_while_the_code_is_typed(district, weekly):
    book(district, phone="13900000001")
    late, code = request(district, phone="13900000002")
    book(district, phone="13900000003")  # took the last place first
    with pytest.raises(ValidationError) as excinfo:
        appointments.verify_appointment(late, code)
    assert "full" in slot_error(excinfo)
    late.refresh_from_db()
    assert late.status == AppointmentStatus.PENDING
    assert AppointmentCode.objects.filter(appointment=late, used_at__isnull=True).exists()
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 2


@pytest.mark.parametrize(
    "day,start,message",
    [
        (date(2025, 9, 22), time(9), "past"),  # last Monday
        (date(2025, 9, 30), time(9), "no reception"),  # a Tuesday: closed
        (date(2025, 10, 6), time(9), "no reception"),  # National Day: moved to 9 October
        (MONDAY, time(9, 15), "No reception slot starts at 09:15"),
        (MONDAY, time(14), "No reception slot starts at 14:00"),
        (date(2025, 10, 27), time(9), "30 days ahead"),
    ],
)
def test_bad_slots_are_refused_with_a_clear_message(district, weekly, day, start, message):
    with pytest.raises(ValidationError) as excinfo:
        request(district, day=day, start=start)
    assert message in slot_error(excinfo)
    assert (
        not Appointment.objects.exists()
        and not Notification.objects.filter(recipient="13912345678").exists()
    )


def test_today_a_slot_that_has_begun_is_past(district, accounts):
    monday_rule(district, accounts)
    with time_machine.travel("2025-09-29 09:40 +0800", tick=False):
        with pytest.raises(ValidationError) as excinfo:
            request(district, start=time(9, 30))
        assert "past" in slot_error(excinfo)
        assert request(district, start=time(10))[0].pk


def test_a_reception_without_places_is_not_bookable_online(district, accounts):
    monday_rule(district, accounts, capacity=0)
    assert station_slots(district.station_a) == []
    with pytest.raises(ValidationError) as excinfo:
        request(district)
    assert "cannot be booked online" in slot_error(excinfo)


def test_deputy_must_be_on_duty_at_that_reception(district, weekly):
    with pytest.raises(ValidationError) as excinfo:
        request(district, deputy=district.dep_shared)
    assert "not on duty" in excinfo.value.message_dict["deputy"][0]
    with pytest.raises(ValidationError):
        request(district, day=date(2025, 10, 13), deputy=district.dep_a)  # not on duty that day
    assert not Appointment.objects.exists()


def test_fields_are_checked(district, weekly):
    with pytest.raises(ValidationError) as excinfo:
        request(district, topic=" ", name="", phone="0571-87654321")
    assert set(excinfo.value.message_dict) == {"topic", "name", "phone"}


def test_one_open_booking_per_phone_and_day(district, weekly):
    book(district)
    with pytest.raises(ValidationError) as excinfo:
        request(district, start=time(10))
    assert "already has a booking" in excinfo.value.message_dict["phone"][0]


def test_wrong_codes_are_counted_then_refused(district, weekly):
    appointment, code = request(district)
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError) as excinfo:
            appointments.verify_appointment(appointment, wrong)
        assert f"try {left} more" in excinfo.value.message_dict["code"][0]
    with pytest.raises(ValidationError):
        appointments.verify_appointment(appointment, wrong)
    with pytest.raises(ValidationError) as excinfo:
        appointments.verify_appointment(appointment, code)  # right, but too late
    assert "Too many wrong tries" in excinfo.value.message_dict["code"][0]
    assert AppointmentCode.objects.get().attempts == 5
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PENDING


def test_expired_code_and_resend_after_a_minute(district, weekly):
    appointment, code = request(district)
    with pytest.raises(ValidationError) as excinfo:
        appointments.send_code(appointment)
    assert "wait 60 seconds" in excinfo.value.message_dict["code"][0]
    with time_machine.travel(timedelta(minutes=11), tick=False):
        with pytest.raises(ValidationError) as excinfo:
            appointments.verify_appointment(appointment, code)
        assert "expired" in excinfo.value.message_dict["code"][0]
        new = appointments.send_code(appointment)
        assert appointments.verify_appointment(appointment, new).status == "booked"


def test_a_confirmed_booking_cannot_be_confirmed_twice(district, weekly):
    appointment, code = request(district)
    appointments.verify_appointment(appointment, code)
    with pytest.raises(ValidationError):  # the code is used up
        appointments.verify_appointment(appointment, code)
    with pytest.raises(ValidationError):
        appointments.send_code(appointment)
    assert Appointment.objects.get().status == "booked"
