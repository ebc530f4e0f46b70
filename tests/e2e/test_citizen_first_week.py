"""Browser tests of the citizens' and records items of issue 16 ("the first week in a district"),
on a phone in Chinese, with the axe check of every page they touch."""

from datetime import date, time

import pytest
import time_machine

from liaison.activities.models import PendingSignUp, SignUp
from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.receptions.models import RuleKind
from liaison.records.years import years_with_data

from ..activities.conftest import make_activity  # noqa: F401  (a fixture)
from ..receptions.days_support import rule
from ..records.conftest import Doings
from .test_accessibility import check

pytestmark = pytest.mark.e2e

PHONE_VIEWPORT = {"width": 390, "height": 844}
PASSWORD = "pass-for-tests"  # tests/factories.py


@pytest.fixture
def citizen(browser, live_site):
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="zh-CN", base_url=live_site.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _logged_in(browser, live_site, user):
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="zh-CN", base_url=live_site.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click(".login-form button[type=submit]")
    page.wait_for_url("**/accounts/")
    return page


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


def test_the_rules_page_says_which_reception_days_take_bookings(
    browser, live_site, district, accounts
):
    station = district.station_a
    with time_machine.travel("2025-09-25 10:00 +0800", tick=True):
        rule(station, accounts.station_a_staff, slot_capacity=3)
        monthly = {"kind": RuleKind.MONTHLY, "day_of_month": 15}
        rule(station, accounts.station_a_staff, start_time=time(14), end_time=time(16), **monthly)
        page = _logged_in(browser, live_site, accounts.station_a_staff)
        page.goto(f"/staff/receptions/days/rules/?station={station.pk}")
        states = [t.strip() for t in page.locator(".booking-state").all_inner_texts()]
        assert len(states) == 2 and states[0] != states[1], states
        assert any("3" in state for state in states), states
        check(page, "rules-booking-state")
        page.context.close()


# -- an activity sign-up: the privacy notice and the SMS code, as for a message -------------------


def test_activity_sign_up_asks_consent_and_the_sms_code(
    citizen,
    make_activity,  # noqa: F811
    settings,
):
    settings.DEMO_MODE = True  # the code is shown on the page
    activity = make_activity(capacity=5)
    page = citizen
    page.goto(f"/a/{activity.public_code}/")
    check(page, "activity-sign-up")
    page.fill("#id_name", "王大爷")
    page.fill("#id_phone", "13912340002")
    page.click("form:has(#id_phone) button[type=submit]")
    page.wait_for_load_state()
    # Without the privacy notice accepted: said at the box, nothing kept, no SMS.
    assert page.locator("#id_privacy_accepted_error").is_visible()
    assert not PendingSignUp.objects.exists()
    check(page, "activity-sign-up-errors")
    page.check("#id_privacy_accepted")
    page.click("form:has(#id_phone) button[type=submit]")
    page.wait_for_url(f"**/a/{activity.public_code}/confirm/")
    assert "139****0002" in page.content()
    assert not SignUp.objects.exists()  # no place before the code
    check(page, "activity-sign-up-code")
    page.fill("#id_code", "000000")
    page.click("button[type=submit].big")
    page.wait_for_load_state()
    assert page.locator("#id_code_error").is_visible()
    page.fill("#id_code", page.locator(".demo-code .code").inner_text().strip())
    page.click("button[type=submit].big")
    page.wait_for_url(f"**/a/{activity.public_code}/")
    assert page.locator(".messages .message").count() == 1
    check(page, "activity-signed-up")
    signup = SignUp.objects.get()
    assert signup.phone == "13912340002" and signup.privacy_accepted_at is not None


# -- the records pages: the years that have data; the 三个一 table on a phone ----------------------

# Where the first column's cell sits against its scroll box, and how the box and page scroll.
TABLE_GEOMETRY = """() => {
  const box = document.querySelector('.three-scroll');
  const name = box.querySelector('tbody th.name');
  const before = name.getBoundingClientRect().left - box.getBoundingClientRect().left;
  box.scrollLeft = box.scrollWidth;
  const after = name.getBoundingClientRect().left - box.getBoundingClientRect().left;
  const cells = [...box.querySelectorAll('tbody tr:first-child > *')];
  const last = cells[cells.length - 1].getBoundingClientRect();
  const boxRect = box.getBoundingClientRect();
  return {
    page: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    boxRight: boxRect.right,
    scrolls: box.scrollWidth > box.clientWidth,
    scrolled: box.scrollLeft,
    before: before,
    after: after,
    lastVisible: last.right <= boxRect.right + 1 && last.left >= boxRect.left,
  };
}"""


@pytest.fixture
def committee(browser, live_site, accounts):
    page = _logged_in(browser, live_site, accounts.county_committee)
    yield page
    page.context.close()


@pytest.mark.parametrize("where", ["overview", "record"])
def test_records_offer_the_years_with_data_and_the_table_scrolls_in_its_box(
    committee, district, accounts, where
):
    page, dep = committee, district.dep_a
    doings = Doings(district, accounts)
    doings.visit(dep, date(2024, 4, 1))
    doings.duty(dep, date.today().replace(month=1, day=5))
    expected = [str(year) for year in years_with_data()]
    assert "2024" in expected and str(date.today().year + 1) not in expected
    page.goto("/staff/records/" if where == "overview" else f"/staff/records/deputies/{dep.pk}/")
    options = page.locator("#id_year option").evaluate_all(
        "options => options.map(o => o.value).filter(v => v)"
    )
    assert options == expected
    check(page, f"records-{where}-phone")
    geometry = page.evaluate(TABLE_GEOMETRY)
    assert geometry["page"] <= geometry["viewport"], geometry  # the page itself does not clip
    assert geometry["boxRight"] <= geometry["viewport"], geometry
    assert geometry["scrolls"] and geometry["scrolled"] > 0, geometry  # scrolls inside its box
    assert geometry["lastVisible"], geometry  # the report column can be reached
    assert abs(geometry["after"] - geometry["before"]) <= 1, geometry  # the names stay put


# -- every error names its field, in Chinese ------------------------------------------------------


def test_the_error_summary_names_each_field_without_a_stray_mark(citizen, district):
    page = citizen
    page.goto(f"/s/{district.station_a.public_code}/message/")
    page.fill("#id_citizen_phone", "12345")
    page.click(".message-form button[type=submit].big")
    page.wait_for_load_state()
    items = page.locator("#errors li")
    texts = [text.strip() for text in items.all_inner_texts()]
    assert len(texts) >= 4, texts  # category, title, description, phone, privacy …
    for text in texts:
        assert "？:" not in text and "?:" not in text and not text.startswith((":", "：")), text
    # Each names its field by the field's own label, and jumps to it.
    for link in page.locator("#errors li a").all():
        target = link.get_attribute("href")
        label = page.locator(f"label[for='{target[1:]}']").first.inner_text()
        name = label.split("（")[0].split("(")[0].strip().rstrip("？?")
        assert link.inner_text().startswith(name), (link.inner_text(), label)
    check(page, "message-errors")
