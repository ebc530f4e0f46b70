"""Appointments over the API: slots, booking → SMS code → booking code, my booking with the code
and the last 4 digits (cancel, reschedule), and the station's side (list, confirm, move, cancel,
no-show) — through the same forms and services as the pages, no phone or name in citizens'
answers. The last-place race is tested at service level (tests/receptions)."""

import json
from datetime import time

import pytest
import time_machine

from liaison.api.keys import create_key
from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.notifications.models import Notification

from ..appointments.support import MONDAY, TODAY, book, code_sent_to, monday_rule

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def station(district, accounts):
    monday_rule(district, accounts)
    return district.station_a


def booking_body(district, **fields):
    body = {
        "slot": "2025-09-29T09:00",
        "deputy": district.dep_a.public_code,
        "topic": "小区停车难",
        "name": "陈女士",
        "phone": PHONE,
        "privacy_accepted": True,
    }
    body.update(fields)
    return body


def book_url(station) -> str:
    return f"/api/v1/stations/{station.public_code}/appointments"


def error(response) -> dict:
    return response.json()["error"]


def test_slots_list_places_and_deputies_on_duty(api, district, station):
    response = api.get(f"/api/v1/stations/{station.public_code}/slots")
    assert response.status_code == 200
    slots = response.json()["slots"]
    first = slots[0]
    assert first["slot"] == "2025-09-29T09:00" and first["places_left"] == 2
    assert first["deputies"] == [{"public_code": district.dep_a.public_code, "name": "张明华"}]
    assert {s["date"] for s in slots} >= {MONDAY.isoformat()}
    assert api.get("/api/v1/stations/nope/slots").status_code == 404


def test_book_verify_then_my_booking(api, district, station):
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")  # the SMS in English, for code_sent_to
    response = api.post(book_url(station), booking_body(district), format="json")
    assert response.status_code == 201, response.content
    pending = response.json()["pending"]
    assert response.json()["status"] == "pending"
    assert PHONE not in response.content.decode()
    # Nothing taken yet: the slot still has its two places.
    assert (
        api.get(f"/api/v1/stations/{station.public_code}/slots").json()["slots"][0]["places_left"]
        == 2
    )
    wrong = api.post("/api/v1/appointments/verify", {"pending": pending, "code": "000000"})
    assert wrong.status_code == 400 and error(wrong)["field"] == "code"
    code = code_sent_to(PHONE)
    verified = api.post("/api/v1/appointments/verify", {"pending": pending, "code": code})
    assert verified.status_code == 200, verified.content
    body = verified.json()
    assert body["status"] == "booked" and len(body["code"]) == 8
    assert body["deputy"]["public_code"] == district.dep_a.public_code
    text = json.dumps(body, ensure_ascii=False)
    assert PHONE not in text and "5678" not in text and "陈女士" not in text
    again = api.post("/api/v1/appointments/verify", {"pending": pending, "code": code})
    assert again.status_code == 409 and error(again)["code"] == "transition_refused"
    mine = api.get(f"/api/v1/appointments/{body['code']}?phone_last4=5678")
    assert mine.status_code == 200 and mine.json()["changeable"] is True
    assert (
        api.get(f"/api/v1/appointments/{body['code']}", HTTP_X_PHONE_LAST4="5678").status_code
        == 200
    )


def test_booking_refusals(api, district, station):
    bad = api.post(book_url(station), booking_body(district, phone="12345"), format="json")
    assert bad.status_code == 400 and error(bad)["field"] == "phone"
    no_privacy = booking_body(district, privacy_accepted=False)
    assert error(api.post(book_url(station), no_privacy, format="json"))["field"] == (
        "privacy_accepted"
    )
    closed = api.post(book_url(station), booking_body(district, slot="2025-09-30T09:00"))
    assert closed.status_code == 400 and error(closed)["field"] == "slot"
    off_duty = booking_body(district, slot="2025-10-13T09:00")
    response = api.post(book_url(station), off_duty, format="json")
    assert response.status_code == 400 and error(response)["field"] == "deputy"
    unknown = api.post(book_url(station), booking_body(district, deputy="nobody"), format="json")
    assert unknown.status_code == 400 and error(unknown)["field"] == "deputy"
    assert Appointment.objects.count() == 0


def test_full_slot_is_409(api, district, station):
    book(district, phone="13900000001")
    book(district, phone="13900000002")
    response = api.post(book_url(station), booking_body(district), format="json")
    assert response.status_code == 409 and error(response)["code"] == "slot_full"
    assert Appointment.objects.count() == 2


def test_bookings_limited_per_address_but_not_for_partner_keys(api, district, station, settings):
    settings.LIAISON_RATE_MESSAGES_PER_IP = 1
    first = api.post(book_url(station), booking_body(district), format="json")
    assert first.status_code == 201
    second = booking_body(district, phone="13900000009", slot="2025-09-29T09:30")
    assert api.post(book_url(station), second, format="json").status_code == 429
    _key, raw = create_key(name="mini-program", scopes=["cases:submit"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.post(book_url(station), second, format="json").status_code == 201


def test_resend_code_waits_a_minute(api, district, station):
    pending = api.post(book_url(station), booking_body(district), format="json").json()["pending"]
    soon = api.post("/api/v1/appointments/resend-code", {"pending": pending})
    assert soon.status_code == 429 and "Retry-After" in soon
    with time_machine.travel("2025-09-25 10:02 +0800", tick=False):
        assert api.post("/api/v1/appointments/resend-code", {"pending": pending}).status_code == 202
    forged = api.post("/api/v1/appointments/resend-code", {"pending": "x" + pending})
    assert forged.status_code == 404


def test_lookup_wrong_digits_404_then_429(api, district, station, settings):
    settings.LIAISON_RATE_TRACKING_FAILURES_PER_NUMBER = 2
    booked = book(district)
    url = f"/api/v1/appointments/{booked.code}"
    assert api.get(f"{url}?phone_last4=0000").status_code == 404
    assert api.get(url).status_code == 404  # no digits: nothing tried
    assert api.get(f"{url}?phone_last4=1111").status_code == 404
    assert api.get(f"{url}?phone_last4=5678").status_code == 429


def test_citizen_cancels_and_reschedules(api, district, station):
    booked = book(district)
    url = f"/api/v1/appointments/{booked.code}"
    moved = api.post(
        f"{url}/reschedule", {"phone_last4": "5678", "slot": "2025-09-29T10:00"}, format="json"
    )
    assert moved.status_code == 200, moved.content
    booked.refresh_from_db()
    assert booked.start_time == time(10) and booked.deputy is None
    bad = api.post(f"{url}/reschedule", {"phone_last4": "5678", "slot": "soon"}, format="json")
    assert bad.status_code == 400 and error(bad)["field"] == "slot"
    assert api.post(f"{url}/cancel", {"phone_last4": "1234"}).status_code == 404
    cancelled = api.post(f"{url}/cancel", {"phone_last4": "5678"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = api.post(f"{url}/cancel", {"phone_last4": "5678"})
    assert again.status_code == 409 and error(again)["code"] == "transition_refused"


def test_cancel_once_the_time_has_come_is_409(api, district, station):
    booked = book(district)
    with time_machine.travel("2025-09-29 09:10 +0800", tick=False):
        response = api.post(f"/api/v1/appointments/{booked.code}/cancel", {"phone_last4": "5678"})
    assert response.status_code == 409 and error(response)["code"] == "refused"
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED


# --- staff ---------------------------------------------------------------------------------------

STAFF = "/api/v1/staff/appointments/"


@pytest.fixture
def as_user(api):
    def sign_in(user, scopes=("staff",)):
        _key, raw = create_key(name="test", user=user, scopes=list(scopes))
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
        return api

    return sign_in


def test_staff_list_scope_filters_and_masked_phone(as_user, accounts, district, station):
    booked = book(district)
    other = book(district, phone="13900000002", start=time(10))
    api = as_user(accounts.station_a_staff)
    rows = api.get(STAFF).json()["results"]
    assert [r["id"] for r in rows] == [booked.pk, other.pk]
    assert rows[0]["phone"] == "139****5678" and PHONE not in json.dumps(rows)
    assert [r["id"] for r in api.get(f"{STAFF}?q=0002").json()["results"]] == [other.pk]
    assert api.get(f"{STAFF}?ordering=-date").json()["results"][0]["id"] == other.pk
    assert api.get(f"{STAFF}?status=confirmed").json()["count"] == 0
    assert api.get(f"{STAFF}?station=nope").json()["count"] == 0
    bad = api.get(f"{STAFF}?day=tomorrow")
    assert bad.status_code == 400 and error(bad)["field"] == "day"
    assert as_user(accounts.station_b_staff).get(STAFF).json()["count"] == 0
    assert as_user(accounts.station_b_staff).get(f"{STAFF}{booked.pk}/").status_code == 404
    assert as_user(accounts.deputy_a).get(STAFF).status_code == 403
    assert as_user(accounts.station_a_staff, scopes=["cases:read"]).get(STAFF).status_code == 403


def test_staff_actions(as_user, accounts, district, station):
    booked = book(district)
    api = as_user(accounts.station_a_staff)
    base = f"{STAFF}{booked.pk}/actions/"
    confirmed = api.post(f"{base}confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    again = api.post(f"{base}confirm/")
    assert again.status_code == 409 and error(again)["code"] == "transition_refused"
    early = api.post(f"{base}no_show/")
    assert early.status_code == 409 and error(early)["code"] == "refused"
    moved = api.post(f"{base}move/", {"slot": "2025-09-29T11:00"}, format="json")
    assert moved.status_code == 200 and moved.json()["start_time"] == "11:00"
    assert api.post(f"{base}move/", {"slot": ""}, format="json").status_code == 400
    no_reason = api.post(f"{base}cancel/", {"reason": ""}, format="json")
    assert no_reason.status_code == 400 and error(no_reason)["field"] == "reason"
    sms = Notification.objects.filter(channel="sms").count()
    cancelled = api.post(f"{base}cancel/", {"reason": "站点临时停电"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert Notification.objects.filter(channel="sms").count() == sms + 1


def test_staff_action_out_of_scope(as_user, accounts, district, station):
    booked = book(district)
    api = as_user(accounts.station_b_staff)
    assert api.post(f"{STAFF}{booked.pk}/actions/confirm/").status_code == 404
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED
    assert as_user(accounts.handler_a).post(f"{STAFF}{booked.pk}/actions/confirm/").status_code == (
        403
    )
