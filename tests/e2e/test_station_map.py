"""The station map in the browser (issue 16), on a phone: Leaflet draws tiles from the configured
server (here a stand-in the browser answers itself, allowed by the Content-Security-Policy like a
real one) with a marker per station; the finder's marker opens the station; without JavaScript, or
without tiles, the page shows the address text and no empty box. axe passes with the map drawn."""

import io
from decimal import Decimal

import pytest
from PIL import Image

from liaison.directory.models import Station

from .test_accessibility import check

pytestmark = pytest.mark.e2e

TILE_HOST = "https://tiles.example.test"


def _tile() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (230, 236, 240)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def tiles(settings):
    settings.MAP_TILES = TILE_HOST + "/{z}/{x}/{y}.png?k={key}"
    settings.MAP_KEY = "test-key"
    settings.MAP_ATTRIBUTION = "© 测试地图"
    settings.MAP_COORDINATES = "gcj02"
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "img-src": [*policy["DIRECTIVES"]["img-src"], TILE_HOST]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    return settings


@pytest.fixture
def placed(district):
    Station.objects.filter(pk=district.station_a.pk).update(
        latitude=Decimal("30.259200"), longitude=Decimal("120.148500"), address="北山路45号"
    )
    Station.objects.filter(pk=district.station_b.pk).update(
        latitude=Decimal("30.270000"), longitude=Decimal("120.120000")
    )
    return district


def _serve_tiles(page) -> list[str]:
    asked = []
    body = _tile()

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=body)

    page.route(TILE_HOST + "/**", answer)
    return asked


def test_station_page_and_finder_show_the_map(phone, placed, tiles, screenshot):
    asked = _serve_tiles(phone)
    station = placed.station_a
    phone.goto(station.get_absolute_url())
    phone.wait_for_selector("#station-map img.leaflet-tile-loaded")
    assert phone.locator("#station-map").is_visible()
    assert asked and all("k=test-key" in url for url in asked)
    marker = phone.locator("#station-map img.leaflet-marker-icon")
    assert marker.count() == 1 and marker.get_attribute("alt") == station.name
    assert "测试地图" in phone.inner_text("#station-map .leaflet-control-attribution")
    assert phone.get_by_text("北山路45号").is_visible()  # the address stays
    screenshot(phone, "map-station")
    check(phone, "map-station")

    phone.goto("/")
    phone.wait_for_selector("#finder-map img.leaflet-tile-loaded")
    markers = phone.locator("#finder-map img.leaflet-marker-icon")
    assert markers.count() == 2
    screenshot(phone, "map-finder")
    check(phone, "map-finder")
    phone.locator(f'#finder-map img.leaflet-marker-icon[alt="{station.name}"]').click()
    phone.locator("#finder-map .leaflet-popup-content a").click()
    phone.wait_for_url(f"**{station.get_absolute_url()}")


def test_without_javascript_the_address_shows_and_no_empty_box(browser, live_site, placed, tiles):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 667}, base_url=live_site.url
    )
    page = context.new_page()
    page.goto(placed.station_a.get_absolute_url())
    assert page.locator("#station-map").count() == 1
    assert not page.locator("#station-map").is_visible()
    assert page.get_by_text("北山路45号").is_visible()
    page.goto("/?q=北山")
    assert page.locator(".station-card").count() >= 1
    assert not page.locator("#finder-map").is_visible()
    context.close()


def test_without_tiles_there_is_no_map(phone, placed):
    phone.goto(placed.station_a.get_absolute_url())
    assert phone.locator(".map").count() == 0
    assert phone.get_by_text("北山路45号").is_visible()
    check(phone, "station-without-map")
