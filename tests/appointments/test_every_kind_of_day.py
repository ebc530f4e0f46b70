"""Every kind of reception day offers slots when its rule has places (issue 16: a reception on the
15th of each month could not be booked): weekly, monthly and single-date rules alike, on the
booking page and over the API; the demo opens every kind; the rules page says which rules take
online bookings."""

import io
from datetime import date, time

import pytest
import time_machine
from django.core.management import call_command
from django.utils.translation import override

from liaison.appointments import demo as appointments_demo
from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.appointments.slots import station_slots
from liaison.receptions.models import ReceptionRule, RuleKind
from tests.receptions.days_support import TODAY, rule

from .support import code_sent_to

pytestmark = pytest.mark.django_db

# TODAY is Thursday 2025-09-25; bookings open 30 days ahead (to 2025-10-24), the National Day
# break is 1–8 October. Each kind's first bookable day:
KINDS = {
    "weekly": ({"kind": RuleKind.WEEKLY, "weekday": 0}, "2025-09-29"),
    "monthly": ({"kind": RuleKind.MONTHLY, "day_of_month": 15}, "2025-10-15"),
    "single": ({"kind": RuleKind.CUSTOM, "date": date(2025, 10, 10)}, "2025-10-10"),
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False), override("en"):
        yield


@pytest.fixture(params=sorted(KINDS))
def day(request, district, accounts):
    fields, first = KINDS[request.param]
    rule(district.station_a, accounts.station_a_staff, slot_minutes=30, slot_capacity=2, **fields)
    return first


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"  # the SMS in English, for code_sent_to
    return client


def booking_form(slot):
    return {
        "slot": slot,
        "deputy": "",
        "topic": "小区停车难",
        "name": "陈女士",
        "phone": "13912345678",
        "privacy_accepted": "on",
    }


def test_each_kind_offers_slots_and_books_on_the_page(client, district, day):
    url = f"/s/{district.station_a.public_code}/book/"
    page = client.get(url)
    assert page.status_code == 200
    assert f'type="radio" name="slot" value="{day}T09:00"' in page.content.decode()
    sent = client.post(url, booking_form(f"{day}T09:00"))
    assert sent.status_code == 302, sent.context["form"].errors if sent.context else sent
    confirmed = client.post("/book/confirm/", {"code": code_sent_to("13912345678")})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/book/done/"
    booking = Appointment.objects.get()
    assert booking.status == AppointmentStatus.BOOKED and booking.date.isoformat() == day


def test_each_kind_offers_slots_and_books_over_the_api(client, district, day):
    code = district.station_a.public_code
    slots = client.get(f"/api/v1/stations/{code}/slots").json()["slots"]
    assert f"{day}T09:00" in {slot["slot"] for slot in slots}
    body = {**booking_form(f"{day}T09:00"), "privacy_accepted": True}
    made = client.post(
        f"/api/v1/stations/{code}/appointments",
        body,
        "application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert made.status_code == 201, made.content
    verified = client.post(
        "/api/v1/appointments/verify",
        {"pending": made.json()["pending"], "code": code_sent_to("13912345678")},
        "application/json",
    )
    assert verified.status_code == 200 and verified.json()["date"] == day


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_rule_without_places_offers_none_whatever_its_kind(district, accounts, kind):
    fields, _first = KINDS[kind]
    rule(district.station_a, accounts.station_a_staff, slot_capacity=0, **fields)
    assert station_slots(district.station_a) == []


def test_the_rules_page_says_which_rules_take_bookings(client, district, accounts):
    rule(district.station_a, accounts.station_a_staff, slot_capacity=3)
    monthly = {"kind": RuleKind.MONTHLY, "day_of_month": 15, "start_time": time(14)}
    rule(district.station_a, accounts.station_a_staff, end_time=time(16), **monthly)
    client.force_login(accounts.station_a_staff)
    page = client.get(
        f"/staff/receptions/days/rules/?station={district.station_a.pk}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = page.content.decode()
    assert "Online booking: 3 places per 30-minute slot" in html
    assert "No online booking (places per slot: 0)" in html


def test_the_demo_opens_every_kind_of_day(db, settings):
    settings.DEMO_MODE = True
    with time_machine.travel("2026-11-21 10:00 +0800", tick=False):
        call_command("load_demo", stdout=io.StringIO())
        open_rules = ReceptionRule.objects.filter(
            station__code__in=appointments_demo.OPEN_FOR_BOOKING, is_active=True
        )
        assert {r.kind for r in open_rules} == set(RuleKind.values)
        assert not open_rules.filter(slot_capacity=0).exists()
        # 新元街道 receives on the 15th of each month (a Tuesday in December 2026).
        xy = open_rules.filter(station__code="JB-ST-XY").first().station
        days = {slot.date for slot in station_slots(xy)}
        assert date(2026, 12, 15) in days
