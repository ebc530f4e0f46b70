"""QR codes ("码上找代表"): each deputy's and station's code scans, with an independent decoder,
to its short permanent URL, and that URL opens the public page."""

import subprocess
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from liaison.directory import services

from ..tools import decode_qr, require_tool

SITE = "https://liaison.example.cn"


@pytest.fixture
def site(settings):
    # Not the test client's host: proves the code encodes SITE_URL, not the request's host.
    settings.SITE_URL = SITE


def _follow(client, url):
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == SITE
    return client.get(parts.path)


@pytest.mark.django_db
def test_deputy_qr_png_scans_to_the_deputy_page(client, district, site):
    deputy = district.dep_a
    response = client.get(f"/d/{deputy.public_code}/qr.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"

    [url] = decode_qr(response.content)
    assert url == SITE + f"/d/{deputy.public_code}/"
    page = _follow(client, url)
    assert page.status_code == 200
    assert deputy.name in page.content.decode()


@pytest.mark.django_db
def test_station_qr_png_scans_to_the_station_page(client, district, site):
    station = district.station_b
    response = client.get(f"/s/{station.public_code}/qr.png")
    assert response.status_code == 200

    [url] = decode_qr(response.content)
    assert url == SITE + reverse("directory:station", args=[station.public_code])
    page = _follow(client, url)
    assert page.status_code == 200
    assert station.name in page.content.decode()


@pytest.mark.django_db
def test_the_url_stays_when_the_deputy_is_edited(client, district, accounts, site):
    deputy = district.dep_a
    before = decode_qr(client.get(f"/d/{deputy.public_code}/qr.png").content)
    deputy.name, deputy.constituency = "张明", "第九选区"
    services.save_entry(deputy, actor=accounts.administrator, changed_fields=["name"])
    deputy.refresh_from_db()
    assert decode_qr(client.get(f"/d/{deputy.public_code}/qr.png").content) == before


@pytest.mark.django_db
def test_codes_are_short_and_differ_between_deputies(district):
    codes = {d.public_code for d in (district.dep_a, district.dep_b, district.dep_shared)}
    assert len(codes) == 3
    assert all(len(code) == 8 and code.isalnum() for code in codes)


@pytest.mark.django_db
def test_qr_svg_is_plain_svg_without_script(client, district):
    response = client.get(f"/d/{district.dep_a.public_code}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    for element in root.iter():
        assert not element.tag.endswith("script")
        assert not element.tag.endswith("foreignObject")
        assert not any(name.lower().startswith("on") for name in element.attrib)
        assert not any("href" in name for name in element.attrib)


@pytest.mark.django_db
def test_qr_svg_rendered_by_a_browser_scans_to_the_same_url(client, district, site, tmp_path):
    deputy = district.dep_b
    svg = tmp_path / "qr.svg"
    svg.write_bytes(client.get(f"/d/{deputy.public_code}/qr.svg").content)
    png = tmp_path / "qr.png"
    subprocess.run(
        [
            require_tool("chromium"),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--screenshot={png}",
            "--window-size=400,400",
            svg.as_uri(),
        ],
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert decode_qr(png) == [SITE + deputy.get_absolute_url()]


@pytest.mark.django_db
def test_inactive_or_unknown_deputy_has_no_qr(client, district, accounts):
    services.set_active(district.dep_a, False, actor=accounts.administrator)
    assert client.get(f"/d/{district.dep_a.public_code}/qr.png").status_code == 404
    assert client.get(f"/d/{district.dep_a.public_code}/qr.svg").status_code == 404
    assert client.get("/d/zzzzzzzz/qr.png").status_code == 404
