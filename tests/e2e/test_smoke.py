"""Browser smoke test: home → station → deputy → QR code and sign, on a phone-sized screen,
keyboard only where it matters, with JavaScript on and off."""

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from liaison.directory import signs
from liaison.directory.models import Station

pytestmark = pytest.mark.e2e


def _place_stations(district):
    Station.objects.filter(pk=district.station_a.pk).update(
        latitude=Decimal("30.010800"),
        longitude=Decimal("120.000000"),
        address="北山路45号",
        opening_hours="周一至周五 8:30-17:00",
        reception_days="每周一上午;每月15日",
        phone="0571-87001234",
    )
    Station.objects.filter(pk=district.station_b.pk).update(
        latitude=Decimal("30.045000"), longitude=Decimal("120.000000")
    )


def _give_photo(deputy):
    out = io.BytesIO()
    Image.new("RGB", (240, 300), (70, 110, 160)).save(out, "JPEG")
    deputy.photo.save("portrait.jpg", ContentFile(out.getvalue()), save=True)


def _signs_ready(deputy) -> bool:
    """The printable sign is built by another piece of work; until it lands, check only the link."""
    try:
        signs.deputy_sign_pdf(deputy)
    except NotImplementedError:
        return False
    return True


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_citizen_finds_station_and_deputy_and_gets_the_qr_sign(phone, district, screenshot):
    _place_stations(district)
    _give_photo(district.dep_shared)
    page = phone
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    screenshot(page, "home")

    page.fill("#q", "北山")
    page.select_option("#region", district.street_a.code)
    page.click("form#station-search button[type=submit]")
    page.wait_for_url("**region=**")
    results = page.locator("ol.results > li")
    assert results.count() == 1
    screenshot(page, "home-search")

    results.first.locator("a").click()
    page.wait_for_url(f"**{district.station_a.get_absolute_url()}")
    assert page.locator("h1").inner_text() == district.station_a.name
    assert page.locator("#contact a[href^='tel:']").count() == 1
    page.locator("img.qr").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('img.qr').naturalWidth > 0")
    page.locator(".people img.photo").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.people img.photo').naturalWidth === 240")
    assert _no_horizontal_scroll(page)
    screenshot(page, "station")

    page.locator(f"a[href='{district.dep_a.get_absolute_url()}']").click()
    page.wait_for_url(f"**{district.dep_a.get_absolute_url()}")
    assert page.locator("h1").inner_text() == district.dep_a.name
    assert _no_horizontal_scroll(page)
    screenshot(page, "deputy")

    qr = page.request.get(page.locator("a.qr-png-link").get_attribute("href"))
    assert qr.status == 200
    assert qr.headers["content-type"] == "image/png"
    assert qr.body().startswith(b"\x89PNG")

    sign_href = page.locator("a.sign-link").get_attribute("href")
    assert sign_href == f"/d/{district.dep_a.public_code}/sign.pdf"
    if _signs_ready(district.dep_a):
        sign = page.request.get(sign_href)
        assert sign.status == 200
        assert sign.headers["content-type"] == "application/pdf"
        assert sign.body().startswith(b"%PDF")

    # "Leave a message" leads to the message form (tests/e2e/test_case_flow.py goes on from there).
    page.click("a.button.big")
    page.wait_for_url(f"**/d/{district.dep_a.public_code}/message/")


def test_nearby_lists_the_nearest_station_first_with_its_distance(phone, district, screenshot):
    _place_stations(district)
    page = phone
    page.goto("/")
    nearby = page.locator("#nearby")
    assert nearby.is_visible()
    nearby.click()
    page.wait_for_url("**lat=30.000000**")
    cards = page.locator("ol.results > li")
    assert cards.count() == 2
    assert district.station_a.name in cards.nth(0).inner_text()
    assert "1.2公里" in cards.nth(0).inner_text()
    assert "5.0公里" in cards.nth(1).inner_text()
    screenshot(page, "home-nearby")


def test_without_javascript_search_works_and_nearby_is_hidden(browser, live_site, district):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 667}, base_url=live_site.url
    )
    page = context.new_page()
    page.goto("/")
    assert not page.locator("#nearby").is_visible()
    page.fill("#q", "西溪")
    page.click("form#station-search button[type=submit]")
    page.wait_for_url("**q=**")
    assert page.locator("ol.results > li").count() == 1
    context.close()


def test_keyboard_only_skip_link_search_and_large_type(phone, district, screenshot):
    page = phone
    page.goto(district.station_a.get_absolute_url())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("保俶")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=**")
    assert page.locator("ol.results > li").count() == 1

    base_size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert base_size >= 18
    page.locator("button[value=large]").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.wait_for_function("() => document.documentElement.classList.contains('large-type')")
    large_size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert large_size >= base_size * 1.25
    assert "q=" in page.url  # back on the same search
    assert page.locator("button[value=large]").get_attribute("aria-pressed") == "true"
    assert _no_horizontal_scroll(page)
    screenshot(page, "home-large")

    page.locator("button[value=contrast]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.documentElement.classList.contains('high-contrast')")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    page.goto(district.dep_a.get_absolute_url())
    screenshot(page, "deputy-contrast")


def test_english_and_narrow_screens(phone, district, screenshot):
    page = phone
    page.goto(district.dep_shared.get_absolute_url())
    page.click("button[value=en]")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert "Leave a message" in page.content()
    # 320 CSS px is a small phone, and also a 640 px window at 200 % zoom.
    page.set_viewport_size({"width": 320, "height": 640})
    for url in ("/", district.station_a.get_absolute_url(), district.dep_shared.get_absolute_url()):
        page.goto(url)
        assert _no_horizontal_scroll(page), url
    page.locator("button[value=large]").click()
    page.wait_for_function("() => document.documentElement.classList.contains('large-type')")
    for url in ("/", district.station_a.get_absolute_url(), "/d/nosuchcode/"):
        page.goto(url)
        assert _no_horizontal_scroll(page), url
    screenshot(page, "station-320-large-en")
