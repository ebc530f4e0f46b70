"""Browser test of "查询我的留言" (issue 16) on a phone-sized screen, in Chinese: from the home
page a citizen who lost the text finds every message under their mobile with an SMS code (demo
mode shows it), opens one without the last 4 digits, and the same works without JavaScript."""

import pytest

from liaison.cases import services
from liaison.cases.models import Channel

from .test_accessibility import check

pytestmark = pytest.mark.e2e

PHONE = "13912345678"


def _case(district, title):
    return services.submit_case(
        channel=Channel.ONLINE,
        station=district.station_a,
        deputy=district.dep_a,
        category=district.category,
        title=title,
        description="保俶路12号门口的路灯坏了一个月。",
        citizen_phone=PHONE,
        privacy_accepted=True,
    )


def _find_my_messages(page):
    page.goto("/")
    page.click("#find-mine")  # 查询我的留言
    page.wait_for_url("**/track/")
    page.click("a[href='/mine/']")
    page.wait_for_url("**/mine/")
    page.fill("#id_phone", PHONE)
    page.click("#send-code")
    page.wait_for_selector("#id_code")
    page.fill("#id_code", page.locator(".demo-code .code").inner_text().strip())
    page.click("#open-mine")
    page.wait_for_url("**/mine/list/")


def test_a_citizen_finds_their_messages_with_phone_and_code(phone, district, settings, screenshot):
    settings.DEMO_MODE = True
    first, second = _case(district, "路灯不亮"), _case(district, "井盖松动")
    page = phone
    _find_my_messages(page)
    check(page, "mine-list")
    screenshot(page, "mine-list")
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    for case in (first, second):
        assert page.locator(f"a[href='/t/{case.tracking_number}']").first.is_visible()
    page.locator(f"a[href='/t/{first.tracking_number}']").first.click()
    page.wait_for_url(f"**/t/{first.tracking_number}")
    assert page.locator("h1").inner_text()  # the case page, not the digits form
    assert page.locator("#id_last4").count() == 0
    assert "路灯不亮" in page.content()


def test_the_finding_flow_works_without_javascript(browser, live_site, district, settings):
    settings.DEMO_MODE = True
    case = _case(district, "路灯不亮")
    context = browser.new_context(
        viewport={"width": 320, "height": 640},
        locale="zh-CN",
        java_script_enabled=False,
        base_url=live_site.url,
    )
    page = context.new_page()
    _find_my_messages(page)
    assert page.locator(f"a[href='/t/{case.tracking_number}']").first.is_visible()
    context.close()
