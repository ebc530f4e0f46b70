"""Browser test of 线上预约 on a phone-sized screen: the station page → book a slot (no JavaScript
needed) → the SMS code (demo mode shows it) → the booking code → "my booking" → cancel."""

from datetime import date, time

import pytest
import time_machine

from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.notifications.models import Notification
from liaison.receptions.services import assign_duty

from ..receptions.days_support import rule
from .test_accessibility import check

pytestmark = pytest.mark.e2e


def test_book_confirm_and_cancel(phone, district, accounts, settings, screenshot):
    settings.DEMO_MODE = True
    d, page = district, phone
    # The server thread shares the frozen clock: a Thursday before the first Monday reception.
    with time_machine.travel("2025-09-25 10:00 +0800", tick=True):
        rule(d.station_a, accounts.station_a_staff, weekday=0, slot_capacity=2)
        assign_duty(
            station=d.station_a,
            date=date(2025, 9, 29),
            start_time=time(9),
            deputy=d.dep_a,
            actor=accounts.station_a_staff,
        )
        page.goto(d.station_a.get_absolute_url())
        page.click("#book-appointment")
        page.wait_for_url(f"**/s/{d.station_a.public_code}/book/")
        page.check("input[name=slot][value='2025-09-29T09:30']")
        page.select_option("#id_deputy", str(d.dep_a.pk))
        page.fill("#id_topic", "小区停车难，想当面反映")
        page.fill("#id_name", "陈女士")
        page.fill("#id_phone", "13912345678")
        page.check("#id_privacy_accepted")
        screenshot(page, "booking-form")
        page.click("button[type=submit].big")

        page.wait_for_url("**/book/confirm/")
        code = page.locator(".demo-code .code").inner_text().strip()
        assert code in Notification.objects.filter(recipient="13912345678").last().body
        page.fill("#id_code", code)
        page.click("button[type=submit].big")

        page.wait_for_url("**/book/done/")
        booking = Appointment.objects.get()
        assert page.locator(".booking-code").inner_text().strip() == booking.code
        assert booking.status == AppointmentStatus.BOOKED and booking.deputy == d.dep_a
        screenshot(page, "booking-done")

        # Another device: the booking code and the last 4 digits.
        page.context.clear_cookies()
        page.goto("/booking/")
        page.fill("#id_code", booking.code)
        page.fill("#id_last4", "5678")
        page.click("button[type=submit].big")
        page.wait_for_url(f"**/booking/{booking.code}/")
        page.click("#cancel-booking")
        page.wait_for_load_state()
        # Issue 16: one screen says what happens and who is told before anything is cancelled.
        assert page.locator("#confirm-cancel").is_visible()
        assert Appointment.objects.get().status == AppointmentStatus.BOOKED
        check(page, "booking-cancel-confirm")
        page.click("#confirm-button")
        page.wait_for_load_state()
        assert page.locator(".status.status-cancelled").is_visible()
        screenshot(page, "booking-cancelled")
    booking.refresh_from_db()
    assert booking.status == AppointmentStatus.CANCELLED
