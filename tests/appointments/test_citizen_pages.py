"""The citizen's pages over HTTP: the station page's link, the no-JavaScript booking form, the
code page, the booking code, and "my booking" to cancel or reschedule (code + last 4 digits)."""

from datetime import time

import pytest
import time_machine
from django.utils.translation import override

from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.notifications.models import Notification

from .support import TODAY, book, code_sent_to, monday_rule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False), override("en"):
        yield


@pytest.fixture
def weekly(district, accounts):
    return monday_rule(district, accounts)


@pytest.fixture
def web(client):
    client.cookies["django_language"] = "en"
    return client


def book_url(district):
    return f"/s/{district.station_a.public_code}/book/"


def form(**overrides):
    data = {
        "slot": "2025-09-29T09:00",
        "deputy": "",
        "topic": "小区停车难",
        "name": "陈女士",
        "phone": "13912345678",
        "privacy_accepted": "on",
    }
    data.update(overrides)
    return data


def test_station_page_links_to_booking(web, district, weekly):
    page = web.get(district.station_a.get_absolute_url())
    assert f'href="{book_url(district)}"' in page.content.decode()


def test_booking_form_lists_slots_as_radios(web, district, weekly):
    page = web.get(book_url(district))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'type="radio" name="slot" value="2025-09-29T09:00"' in html
    assert 'value="2025-10-09T09:00"' in html and "2025-10-06" not in html
    assert f'<option value="{district.dep_a.pk}">' in html  # on duty on Monday
    assert f'<option value="{district.dep_shared.pk}">' not in html


def test_no_online_booking_says_so(web, district, accounts):
    monday_rule(district, accounts, capacity=0)
    page = web.get(book_url(district))
    assert page.status_code == 200 and 'id="no-slots"' in page.content.decode()


def test_book_confirm_and_get_the_booking_code(web, district, weekly):
    page = web.post(book_url(district), form(deputy=district.dep_a.pk))
    assert page.status_code == 302 and page["Location"] == "/book/confirm/"
    appointment = Appointment.objects.get()
    assert appointment.status == AppointmentStatus.PENDING and appointment.deputy == district.dep_a
    assert web.get("/book/confirm/").status_code == 200
    wrong = web.post("/book/confirm/", {"code": "12345"})
    assert wrong.status_code == 400
    page = web.post("/book/confirm/", {"code": code_sent_to("13912345678")})
    assert page.status_code == 302 and page["Location"] == "/book/done/"
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    done = web.get("/book/done/")
    assert appointment.code in done.content.decode()
    assert web.get("/book/confirm/").status_code == 404  # nothing pending any more


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"slot": "2025-09-22T09:00"}, "slot"),  # past
        ({"slot": "2025-09-30T09:00"}, "slot"),  # closed day
        ({"slot": "nonsense"}, "slot"),
        ({"slot": ""}, "slot"),
        ({"phone": "12345"}, "phone"),
        ({"topic": ""}, "topic"),
        ({"privacy_accepted": ""}, "privacy_accepted"),
    ],
)
def test_bad_input_is_400_and_stores_nothing(web, district, weekly, overrides, field):
    page = web.post(book_url(district), form(**overrides))
    assert page.status_code == 400
    assert field in page.context["form"].errors
    assert not Appointment.objects.exists()


def test_deputy_not_on_duty_is_400(web, district, weekly):
    page = web.post(book_url(district), form(deputy=district.dep_a.pk, slot="2025-10-13T09:00"))
    assert page.status_code == 400 and "deputy" in page.context["form"].errors
    assert not Appointment.objects.exists()


def test_full_slot_is_409(web, district, weekly):
    book(district, phone="13900000001")
    book(district, phone="13900000002")
    page = web.post(book_url(district), form())
    assert page.status_code == 409 and "slot" in page.context["form"].errors
    assert Appointment.objects.count() == 2


def test_slot_gone_while_typing_the_code_is_409(web, district, weekly):
    book(district, phone="13900000001")
    web.post(book_url(district), form())
    book(district, phone="13900000002")
    page = web.post("/book/confirm/", {"code": code_sent_to("13912345678")})
    assert page.status_code == 409 and page.context["slot_gone"]
    assert Appointment.objects.get(phone="13912345678").status == AppointmentStatus.PENDING


def test_too_many_bookings_from_one_phone(web, district, weekly, settings):
    settings.LIAISON_RATE_MESSAGES_PER_PHONE = 1
    assert web.post(book_url(district), form()).status_code == 302
    page = web.post(book_url(district), form(slot="2025-10-13T09:00"))
    assert page.status_code == 429 and Appointment.objects.count() == 1


def test_robots_are_refused(web, district, weekly):
    assert web.post(book_url(district), form(website="http://spam")).status_code == 400
    assert not Appointment.objects.exists()


def open_booking(web, appointment, last4=None):
    return web.post(
        "/booking/", {"code": appointment.code, "last4": last4 or appointment.phone[-4:]}
    )


def test_my_booking_needs_the_code_and_last_4_digits(web, district, weekly):
    appointment = book(district)
    assert web.get(f"/booking/{appointment.code}/")["Location"] == "/booking/"
    assert open_booking(web, appointment, last4="0000").status_code == 400
    page = open_booking(web, appointment)
    assert page.status_code == 302 and page["Location"] == f"/booking/{appointment.code}/"
    page = web.get(f"/booking/{appointment.code}/")
    assert page.status_code == 200 and "139****5678" in page.content.decode()
    assert "13912345678" not in page.content.decode()


def test_lookup_failures_are_limited(web, district, weekly, settings):
    settings.LIAISON_RATE_TRACKING_FAILURES_PER_NUMBER = 2
    appointment = book(district)
    for _ in range(2):
        assert open_booking(web, appointment, last4="0000").status_code == 400
    assert open_booking(web, appointment).status_code == 429


def test_citizen_cancels(web, district, weekly):
    appointment = book(district)
    open_booking(web, appointment)
    # Issue 16: one screen first says what happens and who is told; nothing is cancelled yet.
    asked = web.post(f"/booking/{appointment.code}/", {"action": "cancel"})
    assert asked.status_code == 200
    assert "Your place at this time is given up" in asked.content.decode()
    assert "The station and the deputy on duty." in asked.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    confirmed = {"action": "cancel", "confirmed": "1", "seen_status": "booked"}
    page = web.post(f"/booking/{appointment.code}/", confirmed)
    assert page.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert "cancelled" in Notification.objects.order_by("-id").first().body
    again = web.post(f"/booking/{appointment.code}/", confirmed)
    assert again.status_code == 409
    assert "This booking has been cancelled already." in again.content.decode()


def test_a_confirmed_cancel_after_the_station_moved_on_is_refused(web, district, weekly, accounts):
    """The confirmation screen is drawn on "booked"; the station cancels it meanwhile: the
    state machine refuses the stale cancel and says what happened."""
    from liaison.appointments import services as appointments

    appointment = book(district)
    open_booking(web, appointment)
    web.post(f"/booking/{appointment.code}/", {"action": "cancel"})
    appointments.cancel_appointment(appointment, actor=accounts.station_a_staff, reason="停电")
    sent = Notification.objects.count()
    page = web.post(
        f"/booking/{appointment.code}/",
        {"action": "cancel", "confirmed": "1", "seen_status": "booked"},
    )
    assert page.status_code == 409
    assert "This booking has been cancelled already." in page.content.decode()
    assert Notification.objects.count() == sent  # nothing more was sent


def test_citizen_reschedules_and_the_station_confirms_again(web, district, weekly, accounts):
    from liaison.appointments import services as appointments

    appointment = appointments.confirm_appointment(book(district), actor=accounts.station_a_staff)
    open_booking(web, appointment)
    page = web.post(
        f"/booking/{appointment.code}/", {"action": "reschedule", "slot": "2025-10-13T10:30"}
    )
    assert page.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.date.isoformat(), appointment.start_time) == ("2025-10-13", time(10, 30))
    assert appointment.status == AppointmentStatus.BOOKED
    assert "is now on" in Notification.objects.order_by("-id").first().body


def test_reschedule_to_a_full_slot_is_409_and_changes_nothing(web, district, weekly):
    book(district, phone="13900000001", start=time(10))
    book(district, phone="13900000002", start=time(10))
    appointment = book(district)
    open_booking(web, appointment)
    page = web.post(
        f"/booking/{appointment.code}/", {"action": "reschedule", "slot": "2025-09-29T10:00"}
    )
    assert page.status_code == 409
    appointment.refresh_from_db()
    assert appointment.start_time == time(9)


def test_no_change_online_once_the_time_has_come(web, district, weekly):
    appointment = book(district)
    open_booking(web, appointment)
    with time_machine.travel("2025-09-29 09:05 +0800", tick=False):
        page = web.post(f"/booking/{appointment.code}/", {"action": "cancel"})
    assert page.status_code == 400
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
