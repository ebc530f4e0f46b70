"""找代表 in the browser, on a phone (390×844): a citizen types their community, sees their deputies
of every level with their stations, follows a deputy; and picks the area step by step without
JavaScript. axe passes on each page."""

import pytest

from liaison.directory import services
from liaison.directory.models import DeputyLevel

from .test_accessibility import check

pytestmark = pytest.mark.e2e


@pytest.fixture
def citizen_phone(browser, live_site):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=live_site.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def constituencies(district):
    d = district
    services.set_deputy_constituency(d.dep_a, [d.community_a1], actor=None)
    services.set_deputy_constituency(d.dep_shared, [d.county], actor=None)
    services.set_deputy_constituency(d.dep_b, [d.street_b], actor=None)
    d.dep_shared.level = DeputyLevel.CITY
    d.dep_shared.save(update_fields=["level"])
    return d


def test_who_is_my_deputy_from_a_typed_address(citizen_phone, constituencies):
    page = citizen_phone
    page.goto("/")
    page.locator("a[href='/deputies/']").first.click()
    check(page, "find-deputy-start")
    page.fill("#place", "北山街道保俶社区")
    page.locator("#place-search button[type=submit]").click()
    page.wait_for_url("**/deputies/?place=*")
    cards = page.locator(".deputy-card h4")
    assert cards.all_inner_texts() == ["李秀英", "张明华"]
    assert "王建国" not in page.content()
    assert page.locator(".deputy-card a", has_text="北山街道人大代表联络站").count() == 2
    check(page, "find-deputy-community")
    page.locator(".deputy-card h4 a", has_text="张明华").click()
    assert page.locator("h1").inner_text() == "张明华"


def test_picking_the_area_works_without_javascript(browser, live_site, constituencies):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        base_url=live_site.url,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.goto("/deputies/")
    page.locator("#areas a", has_text="北山街道").click()
    assert page.locator(".deputy-card h4").all_inner_texts() == ["李秀英"]
    page.locator("#areas a", has_text="保俶社区").click()
    assert page.locator(".deputy-card h4").all_inner_texts() == ["李秀英", "张明华"]
    context.close()
