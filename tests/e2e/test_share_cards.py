"""Favicon, titles and link cards in the browser (issue 16): on a phone, the station and deputy
pages show the icon (the file loads under the page's Content-Security-Policy), say where you are in
the tab's title, and carry the Open Graph card a shared link shows; axe passes on both."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from .test_accessibility import check

pytestmark = pytest.mark.e2e

CARD = """() => Object.fromEntries([...document.querySelectorAll('meta[property^="og:"]')]
  .map(m => [m.getAttribute("property"), m.content]))"""
ICON_LOADS = """async () => {
  const link = document.querySelector('link[rel="icon"][type="image/svg+xml"]');
  const img = new Image();
  img.src = link.href;
  await img.decode();
  return img.naturalWidth > 0;
}"""


def test_station_and_deputy_pages_have_icon_title_and_card(phone, district, live_site, settings):
    settings.SITE_URL = live_site.url
    out = io.BytesIO()
    Image.new("RGB", (240, 300), (70, 110, 160)).save(out, "JPEG")
    district.dep_a.photo.save("portrait.jpg", ContentFile(out.getvalue()), save=True)

    station = district.station_a
    phone.goto(station.get_absolute_url())
    assert phone.title() == f"{station.name} · 代表联络平台"
    card = phone.evaluate(CARD)
    assert card["og:title"] == station.name
    assert card["og:url"] == live_site.url + station.get_absolute_url()
    assert phone.request.get(card["og:image"]).headers["content-type"] == "image/png"
    assert phone.evaluate(ICON_LOADS)
    check(phone, "share-station")

    deputy = district.dep_a
    phone.goto(deputy.get_absolute_url())
    assert phone.title().startswith(f"{deputy.name} · ")
    card = phone.evaluate(CARD)
    assert card["og:type"] == "profile"
    assert card["og:image"] == live_site.url + deputy.photo.url
    assert phone.request.get(card["og:image"]).ok
    check(phone, "share-deputy")
