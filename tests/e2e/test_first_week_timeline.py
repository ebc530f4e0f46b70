"""Browser tests of issue 16's staff items about what people read: 原承办单位 after a
reassignment, the citizen's one line per stage, refusals in sentences, and the confirmation
screen of the steps that cannot be undone — on a phone, in Chinese, with axe on every page."""

import pytest

from liaison.appointments.models import AppointmentStatus
from liaison.cases import links, services
from liaison.cases.models import Case
from tests.factories import DepartmentFactory

from .test_accessibility import check
from .test_staff_first_week import case_page, flow, person  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e

PHONE_CALL = {"channel": "phone"}


def _citizen_page(browser, live_site, *, javascript=True):
    context = browser.new_context(
        viewport={"width": 375, "height": 667},
        locale="zh-CN",
        base_url=live_site.url,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _open_tracking(page, case):
    page.goto(f"/t/{case.tracking_number}")
    page.fill("#id_last4", case.citizen_phone[-4:])
    page.locator("#id_last4").press("Enter")
    page.wait_for_url(f"**/t/{case.tracking_number}")


@pytest.fixture
def returned_and_reassigned(flow, accounts, district):  # noqa: F811
    """Street A's office led with the county bureau co-handling; it returned the case."""
    case = services.assign_case(
        flow.to("to_assign"),
        actor=accounts.county_committee,
        lead_department=district.department_a,
        co_departments=[district.department_county],
    )
    return services.return_assignment(case, actor=accounts.handler_a, reason="非本单位职责")


# -- 1. 原承办单位 names the lead the case was taken from -----------------------------------------


def test_the_department_taken_from_is_the_lead_that_returned_it(
    person,  # noqa: F811
    returned_and_reassigned,
    accounts,
    district,
):
    case = returned_and_reassigned
    other = DepartmentFactory(name="北山街道综合执法队", region=district.street_a)
    page = case_page(person(accounts.county_committee), case)
    panel = page.locator("#action-assign")
    panel.locator("summary").click()
    panel.locator("select[name=lead_department]").select_option(str(other.pk))
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).status == "assigned"
    timeline = page.locator(".timeline").inner_text()
    assert f"原承办单位：{district.department_a.name}" in timeline
    assert f"原承办单位：{district.department_county.name}" not in timeline
    check(page, "staff-case-taken-from")


# -- 2. the citizen reads one line per stage --------------------------------------------------


def test_the_citizen_reads_one_line_per_stage(
    browser, live_site, returned_and_reassigned, accounts, district
):
    case = services.assign_case(
        returned_and_reassigned,
        actor=accounts.county_committee,
        lead_department=district.department_county,
    )
    page = _citizen_page(browser, live_site)
    _open_tracking(page, case)
    entries = page.locator(".public-timeline .timeline-entry")
    # Received, accepted, the deputy's reply, and one handling line (not three).
    assert entries.count() == 4
    handling = entries.nth(3).inner_text()
    assert district.department_county.name in handling
    assert district.department_a.name not in page.locator(".public-timeline").inner_text()
    check(page, "tracking-one-line-per-stage")
    page.context.close()


# -- 3. a refusal is a sentence ---------------------------------------------------------------


def test_a_second_rating_is_thanked_in_words(browser, live_site, flow):  # noqa: F811
    case = flow.to("answered")
    url = links.RATING_PATH.format(token=links.rating_token(case))
    first, second = _citizen_page(browser, live_site), _citizen_page(browser, live_site)
    first.goto(url)
    second.goto(url)  # the same link, opened twice (the SMS tapped again)
    first.locator("button[name=rating][value=satisfied]").click()
    first.wait_for_load_state()
    second.locator("button[name=rating][value=basic]").click()
    second.wait_for_load_state()
    shown = second.locator("main").inner_text()
    # "您已评价过，感谢反馈" once translated; never the state machine's words.
    assert "You have already rated this reply" in shown or "您已评价" in shown
    assert "record the citizen" not in shown and "cannot be given the action" not in shown
    assert Case.objects.get(pk=case.pk).rating == "satisfied"
    check(second, "rating-second-attempt")
    first.context.close()
    second.context.close()


# -- 4. 不满意 and the staff's irreversible steps are confirmed on one screen --------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_unsatisfied_is_confirmed_first(browser, live_site, flow, javascript):  # noqa: F811
    case = flow.to("answered")
    page = _citizen_page(browser, live_site, javascript=javascript)
    page.goto(links.RATING_PATH.format(token=links.rating_token(case)))
    page.fill("#id_comment", "灯还是不亮")
    page.locator("button[name=rating][value=unsatisfied]").click()
    page.wait_for_load_state()
    assert page.locator("#confirm-unsatisfied").is_visible()
    assert Case.objects.get(pk=case.pk).status == "answered"  # nothing yet
    if javascript:
        check(page, "rating-confirm-unsatisfied")
    page.click("#confirm-button")
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == "to_assign" and case.rehandled
    assert case.events.get(verb="case.rehandle_requested").note == "灯还是不亮"
    page.context.close()


def test_rejecting_shows_what_happens_and_who_is_told(person, flow, accounts):  # noqa: F811
    case = flow.submit(**PHONE_CALL)
    page = case_page(person(accounts.station_a_staff), case)
    panel = page.locator("#action-reject")
    panel.locator("summary").click()
    assert panel.locator("input[name=confirm]").count() == 0  # the screen asks instead
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#confirm-what").is_visible()
    assert page.locator("#confirm-told li").count() >= 1
    assert Case.objects.get(pk=case.pk).status == "submitted"
    check(page, "staff-confirm-reject")
    page.click("#confirm-button")
    page.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).status == "rejected"


def test_the_station_confirms_cancelling_a_booking(person, district, accounts, settings):  # noqa: F811
    import time_machine

    from ..appointments.support import book
    from ..receptions.days_support import rule

    with time_machine.travel("2025-09-25 10:00 +0800", tick=True):
        rule(district.station_a, accounts.station_a_staff, weekday=0, slot_capacity=2)
        booking = book(district)
        page = person(accounts.station_a_staff)
        page.goto(f"/staff/appointments/{booking.pk}/")
        page.fill("#id_reason", "代表临时出差")
        page.locator("button[name=action][value=cancel]").click()
        page.wait_for_load_state()
        assert page.locator("#confirm-cancel").is_visible()
        assert "代表临时出差" in page.locator("#confirm-cancel").inner_text()
        booking.refresh_from_db()
        assert booking.status == AppointmentStatus.BOOKED
        check(page, "staff-booking-cancel-confirm")
        page.click("#confirm-button")
        page.wait_for_load_state()
    booking.refresh_from_db()
    assert booking.status == AppointmentStatus.CANCELLED
