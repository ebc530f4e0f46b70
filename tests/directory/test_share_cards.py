"""Favicon, page titles and the card a shared link shows (Open Graph), issue 16: every public page
says where you are in its title, and a link pasted into WeChat shows a title, a description and a
picture from an absolute URL (the deputy's photo where there is one)."""

import re
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from PIL import Image

from liaison.directory.models import Deputy

SITE = "http://testserver"  # SITE_URL in tests/conftest.py
SITE_NAME = "代表联络平台"  # "Liaison" in Chinese


def meta(html: str, prop: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    return unescape(found.group(1)) if found else None


def title(html: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1)).strip()


def public_pages(d) -> dict[str, str]:
    station, deputy = d.station_a.public_code, d.dep_a.public_code
    return {
        "home": "/",
        "station": f"/s/{station}/",
        "deputy": f"/d/{deputy}/",
        "message-to-station": f"/s/{station}/message/",
        "message-to-deputy": f"/d/{deputy}/message/",
        "tracking-lookup": "/track/",
        "my-messages": "/mine/",
        "activities": "/activities/",
        "station-calendar": f"/s/{station}/calendar/",
        "programme": f"/s/{station}/programme/",
        "booking-form": f"/s/{station}/book/",
        "booking-lookup": "/booking/",
        "suggestions": "/suggestions/",
        "privacy": "/privacy/",
        "not-found": "/d/nosuchcode/",
    }


@pytest.mark.django_db
def test_every_public_page_has_its_own_title_and_a_full_card(client, district):
    titles = {}
    for name, path in public_pages(district).items():
        response = client.get(path)
        assert response.status_code == (404 if name == "not-found" else 200), path
        html = response.content.decode()
        page_title = title(html)
        assert page_title.endswith(f" · {SITE_NAME}") or name == "programme", (name, page_title)
        assert page_title.split(" · ")[0].strip(), (name, page_title)
        titles[name] = page_title
        assert meta(html, "og:title"), name
        assert meta(html, "og:description"), name
        assert meta(html, "description") == meta(html, "og:description"), name
        assert meta(html, "og:type") in ("website", "profile"), name
        assert meta(html, "og:url") == SITE + path, name
        assert meta(html, "og:image").startswith(SITE + "/static/liaison/og-default"), name
        assert meta(html, "og:site_name") == SITE_NAME, name
        assert 'rel="icon" href="/static/liaison/favicon.svg" type="image/svg+xml"' in html, name
        assert 'href="/static/liaison/favicon-32.png" type="image/png"' in html, name
    # Two tabs of different pages never read the same.
    assert len(set(titles.values())) == len(titles), titles


@pytest.mark.django_db
def test_station_and_deputy_pages_say_whose_they_are(client, district):
    station = district.station_a
    html = client.get(station.get_absolute_url()).content.decode()
    assert title(html) == f"{station.name} · {SITE_NAME}"
    assert meta(html, "og:title") == station.name
    assert station.region.name in meta(html, "og:description")  # the address

    html = client.get(f"/s/{station.public_code}/message/").content.decode()
    assert station.name in title(html)
    html = client.get(f"/d/{district.dep_a.public_code}/message/").content.decode()
    assert district.dep_a.name in title(html)


@pytest.mark.django_db
def test_a_deputy_card_shows_the_photo_or_else_the_site_picture(client, district):
    deputy = district.dep_a
    html = client.get(deputy.get_absolute_url()).content.decode()
    assert meta(html, "og:type") == "profile"
    assert meta(html, "og:image") == SITE + "/static/liaison/og-default.png"

    image = Image.new("RGB", (160, 200), "white")
    buffer = BytesIO()
    image.save(buffer, "JPEG")
    deputy.photo.save("dep.jpg", ContentFile(buffer.getvalue()))
    Deputy.objects.filter(pk=deputy.pk).update(photo=deputy.photo.name)
    html = client.get(deputy.get_absolute_url()).content.decode()
    assert meta(html, "og:image") == SITE + deputy.photo.url
    assert client.get(deputy.photo.url).status_code == 200


@pytest.mark.django_db
def test_a_title_with_markup_is_escaped_in_the_card(client, district):
    station = district.station_a
    type(station).objects.filter(pk=station.pk).update(name='站"><script>x</script>')
    html = client.get(station.get_absolute_url()).content.decode()
    assert "<script>x</script>" not in html
    assert meta(html, "og:title") == '站"><script>x</script>'


@pytest.mark.django_db
def test_the_site_url_makes_the_card_absolute(client, district, settings):
    settings.SITE_URL = "https://liaison.example.gov.cn"
    html = client.get("/activities/").content.decode()
    assert meta(html, "og:url") == "https://liaison.example.gov.cn/activities/"
    assert meta(html, "og:image").startswith("https://liaison.example.gov.cn/static/")


def test_the_icons_are_real_images():
    svg = finders.find("liaison/favicon.svg")
    assert svg and Path(svg).read_text().startswith("<svg")
    for name, size in [("favicon-32.png", (32, 32)), ("apple-touch-icon.png", (180, 180))]:
        with Image.open(finders.find(f"liaison/{name}")) as image:
            assert image.size == size, name
    with Image.open(finders.find("liaison/favicon.ico")) as image:
        assert image.format == "ICO"
    with Image.open(finders.find("liaison/og-default.png")) as image:
        assert image.size == (1200, 630)


@pytest.mark.django_db
def test_favicon_ico_at_the_root_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/liaison/favicon.ico"


@pytest.mark.django_db
def test_error_pages_have_the_icon(client):
    html = client.get("/no/such/page/").content.decode()
    assert "/static/liaison/favicon.svg" in html
