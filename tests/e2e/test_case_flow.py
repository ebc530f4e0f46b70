"""Browser test of the closed loop from the citizen's side, on a phone-sized screen: the deputy's
QR page → leave a message → confirm the phone (demo mode shows the code) → tracking page; staff
handle the case through the services; the citizen rates it from the link and sees it closed."""

import pytest

from liaison.cases import links, services
from liaison.cases.models import Case

pytestmark = pytest.mark.e2e


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_message_from_the_qr_page_to_the_rating(phone, district, accounts, settings, screenshot):
    settings.DEMO_MODE = True
    a, d = accounts, district
    page = phone
    page.goto(d.dep_a.get_absolute_url())  # what the QR code on the sign opens
    page.click("a.button.big")
    page.wait_for_url(f"**/d/{d.dep_a.public_code}/message/")
    assert _no_horizontal_scroll(page)
    assert page.locator("#locate").is_visible()  # JavaScript on: the location button shows

    page.select_option("#id_category", str(d.category.pk))
    page.fill("#id_title", "路灯不亮")
    page.fill("#id_description", "保俶路12号门口的路灯坏了一个月。")
    page.fill("#id_location_text", "保俶路12号")
    page.click("#locate")
    page.wait_for_function("() => document.getElementById('id_latitude').value !== ''")
    page.fill("#id_citizen_phone", "13912345678")
    page.check("#id_privacy_accepted")
    screenshot(page, "case-message-form")
    page.click("button[type=submit].big")

    page.wait_for_url("**/message/confirm/")
    code = page.locator(".demo-code .code").inner_text().strip()
    assert len(code) == 6 and code.isdigit()
    page.fill("#id_code", code)
    screenshot(page, "case-confirm")
    page.click("button[type=submit].big")

    page.wait_for_url("**/message/sent/")
    case = Case.objects.get()
    assert page.locator(".tracking-number").inner_text().replace(" ", "") == (case.tracking_number)
    assert _no_horizontal_scroll(page)
    screenshot(page, "case-sent")
    page.click(".tracking-box a.button")
    page.wait_for_url(f"**/t/{case.tracking_number}")
    assert page.locator(".status.status-submitted").is_visible()
    assert page.locator(".status").inner_text() in {"Awaiting review", "待审核"}
    assert case.latitude is not None

    # The station, the deputy, the committee and the department do their part.
    case = services.accept_case(case, actor=a.station_a_staff)
    case = services.reply_case(case, actor=a.deputy_a, text="已收到，建议交办。", settle=False)
    case = services.assign_case(case, actor=a.street_a_committee, lead_department=d.department_a)
    case = services.sign_assignment(case, actor=a.handler_a)
    case = services.report_result(case, actor=a.handler_a, text="已更换路灯。")
    case = services.answer_case(case, actor=a.deputy_a, text="路灯已修好，请查看。")

    page.goto(links.RATING_PATH.format(token=links.rating_token(case)))
    assert "路灯已修好，请查看。" in page.locator(".answer").inner_text()
    assert _no_horizontal_scroll(page)
    screenshot(page, "case-rate")
    page.click("button[name=rating][value=satisfied]")
    page.wait_for_load_state()
    page.goto(f"/t/{case.tracking_number}")
    assert page.locator(".status.status-closed").is_visible()
    screenshot(page, "case-closed")
    case.refresh_from_db()
    assert case.rating == "satisfied"


def test_the_form_works_without_javascript(browser, live_site, district, settings):
    settings.DEMO_MODE = True
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, java_script_enabled=False, base_url=live_site.url
    )
    page = context.new_page()
    page.goto(f"/s/{district.station_a.public_code}/message/")
    assert page.locator("#locate").is_hidden()
    page.select_option("#id_category", str(district.category.pk))
    page.fill("#id_title", "噪音扰民")
    page.fill("#id_description", "夜间施工噪音。")
    page.fill("#id_citizen_phone", "13800001111")
    page.check("#id_privacy_accepted")
    page.click("button[type=submit].big")
    page.wait_for_url("**/message/confirm/")
    page.fill("#id_code", page.locator(".demo-code .code").inner_text().strip())
    page.click("button[type=submit].big")
    page.wait_for_url("**/message/sent/")
    assert Case.objects.verified().get().deputy is None
    context.close()
