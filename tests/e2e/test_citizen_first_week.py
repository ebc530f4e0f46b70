"""Browser tests of the citizens' and records items of issue 16 ("the first week in a district"),
on a phone in Chinese, with the axe check of every page they touch."""

from datetime import date

import pytest
import time_machine

from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.receptions.models import RuleKind

from ..receptions.days_support import rule
from .test_accessibility import check

pytestmark = pytest.mark.e2e

PHONE_VIEWPORT = {"width": 390, "height": 844}


@pytest.fixture
def citizen(browser, live_site):
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="zh-CN", base_url=live_site.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# -- a reception day of every kind offers slots ----------------------------------------------------


@pytest.mark.parametrize(
    "fields,slot",
    [
        ({"kind": RuleKind.MONTHLY, "day_of_month": 15}, "2025-10-15T09:00"),
        ({"kind": RuleKind.CUSTOM, "date": date(2025, 10, 10)}, "2025-10-10T09:00"),
    ],
    ids=["monthly-15th", "single-date"],
)
def test_a_monthly_or_single_reception_day_is_booked(
    citizen, district, accounts, settings, fields, slot
):
    settings.DEMO_MODE = True  # the code is shown on the page
    page, station = citizen, district.station_a
    with time_machine.travel("2025-09-25 10:00 +0800", tick=True):
        rule(station, accounts.station_a_staff, slot_minutes=30, slot_capacity=2, **fields)
        page.goto(station.get_absolute_url())
        page.click("#book-appointment")
        page.wait_for_url(f"**/s/{station.public_code}/book/")
        check(page, f"book-{slot[:10]}")
        page.check(f"input[name=slot][value='{slot}']")
        page.fill("#id_topic", "小区停车难")
        page.fill("#id_name", "陈女士")
        page.fill("#id_phone", "13912345678")
        page.check("#id_privacy_accepted")
        page.click("button[type=submit].big")
        page.wait_for_url("**/book/confirm/")
        page.fill("#id_code", page.locator(".demo-code .code").inner_text().strip())
        page.click("button[type=submit].big")
        page.wait_for_url("**/book/done/")
        check(page, f"booked-{slot[:10]}")
    booking = Appointment.objects.get()
    assert booking.status == AppointmentStatus.BOOKED
    assert f"{booking.date:%Y-%m-%d}T{booking.start_time:%H:%M}" == slot
