"""Browser test of 附议 (issue 18): a citizen opens a public case from the deputy's page on a
phone with JavaScript off, supports it with the SMS code, and sees the count; axe on the pages."""

import re

import pytest

from liaison.cases import links
from liaison.cases.models import Support
from liaison.notifications.models import Notification
from tests.cases.conftest import Flow

from .test_accessibility import check

pytestmark = pytest.mark.e2e

SUPPORTER = "13800002222"


def test_a_citizen_supports_a_public_case_without_javascript(
    browser, live_site, phone, district, accounts, screenshot
):
    case = Flow(district, accounts).to("in_progress", public_consent=True)
    context = browser.new_context(
        viewport={"width": 375, "height": 667},
        locale="zh-CN",
        java_script_enabled=False,
        base_url=live_site.url,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/d/{district.dep_a.public_code}/")
    page.click(f"a[href='/c/{links.public_key(case)}']")
    page.fill("#id_phone", SUPPORTER)
    page.click("form[action$='/support/code/'] button[type=submit]")
    body = Notification.objects.filter(recipient=SUPPORTER).latest("id").body
    page.fill("#id_code", re.search(r"(?<!\d)(\d{6})(?!\d)", body).group(1))
    page.click("form[action$='/support/'] button[type=submit]")
    assert page.url.endswith(f"/c/{links.public_key(case)}")
    assert "1" in page.locator(".supporters").inner_text()
    assert Support.objects.filter(case=case).count() == 1
    context.close()

    phone.goto(f"/c/{links.public_key(case)}")
    check(phone, "public-case")
    screenshot(phone, "public-case")
