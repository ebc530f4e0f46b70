"""The station map (issue 16): shown on the finder and the station page only when a tile server is
configured and the station has a position, converted to the tiles' coordinate system; otherwise
the address text alone. Distances to a GCJ-02 station are measured in WGS-84."""

import re
from decimal import Decimal

import pytest

from liaison.core import geo
from liaison.directory.models import CoordinateSystem, Station

TILES = "https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&key={key}"
BEIJING_WGS = (39.911954, 116.377817)
BEIJING_GCJ = (39.91334545536069, 116.38404722455657)


@pytest.fixture
def tiles(settings):
    settings.MAP_TILES = TILES
    settings.MAP_SUBDOMAINS = "1234"
    settings.MAP_KEY = "k123"
    settings.MAP_ATTRIBUTION = "© 高德地图 <审图号>"
    settings.MAP_COORDINATES = "gcj02"
    return settings


def place(station, lat, lng, system=CoordinateSystem.WGS84):
    Station.objects.filter(pk=station.pk).update(
        latitude=Decimal(f"{lat:.6f}"), longitude=Decimal(f"{lng:.6f}"), coordinate_system=system
    )


def attr(html, name):
    found = re.search(rf'id="(?:station|finder)-map"[^>]*?{name}="([^"]*)"', html, re.S)
    return found.group(1) if found else None


@pytest.mark.django_db
def test_without_tiles_the_station_page_shows_the_address_and_no_map(client, district):
    station = district.station_a
    place(station, *BEIJING_WGS)
    Station.objects.filter(pk=station.pk).update(address="北山路1号")
    html = client.get(station.get_absolute_url()).content.decode()
    assert "北山路1号" in html
    assert 'class="map"' not in html
    assert "leaflet" not in html


@pytest.mark.django_db
def test_the_station_page_map_has_the_position_in_the_tiles_system(client, district, tiles):
    station = district.station_a
    place(station, *BEIJING_WGS)
    Station.objects.filter(pk=station.pk).update(address="北山路1号")
    html = client.get(station.get_absolute_url()).content.decode()
    assert "北山路1号" in html  # the address stays, with or without the map
    assert ' hidden role="region"' in html  # until the script draws it
    assert float(attr(html, "data-lat")) == pytest.approx(BEIJING_GCJ[0], abs=2e-6)
    assert float(attr(html, "data-lng")) == pytest.approx(BEIJING_GCJ[1], abs=2e-6)
    assert attr(html, "data-tiles") == TILES.replace("{key}", "k123").replace("&", "&amp;")
    assert attr(html, "data-subdomains") == "1234"
    assert attr(html, "data-attribution") == "© 高德地图 &lt;审图号&gt;"
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/vendor/leaflet/leaflet.css" in html
    assert "/static/liaison/station-map.js" in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_a_gcj02_position_is_drawn_unchanged_on_gcj02_tiles(client, district, tiles):
    station = district.station_a
    place(station, *BEIJING_GCJ, system=CoordinateSystem.GCJ02)
    html = client.get(station.get_absolute_url()).content.decode()
    assert attr(html, "data-lat") == f"{BEIJING_GCJ[0]:.6f}"
    assert attr(html, "data-lng") == f"{BEIJING_GCJ[1]:.6f}"


@pytest.mark.django_db
def test_a_gcj02_position_is_converted_for_wgs84_tiles(client, district, tiles):
    tiles.MAP_COORDINATES = "wgs84"
    station = district.station_a
    place(station, *BEIJING_GCJ, system=CoordinateSystem.GCJ02)
    html = client.get(station.get_absolute_url()).content.decode()
    assert float(attr(html, "data-lat")) == pytest.approx(BEIJING_WGS[0], abs=2e-6)
    assert float(attr(html, "data-lng")) == pytest.approx(BEIJING_WGS[1], abs=2e-6)


@pytest.mark.django_db
def test_a_station_without_a_position_has_no_map(client, district, tiles):
    html = client.get(district.station_a.get_absolute_url()).content.decode()
    assert 'class="map"' not in html
    assert "leaflet" not in html


@pytest.mark.django_db
def test_the_finder_marks_the_listed_stations_that_have_a_position(client, district, tiles):
    place(district.station_a, *BEIJING_WGS)
    html = client.get("/").content.decode()
    assert 'id="finder-map"' in html
    cards = re.findall(r'<li class="card station-card"([^>]*)>', html)
    positioned = [c for c in cards if "data-lat" in c]
    assert len(cards) == 3 and len(positioned) == 1
    lat = float(re.search(r'data-lat="([^"]+)"', positioned[0]).group(1))
    assert lat == pytest.approx(BEIJING_GCJ[0], abs=2e-6)


@pytest.mark.django_db
def test_the_finder_without_positions_or_tiles_has_no_map(client, district, settings, tiles):
    assert 'id="finder-map"' not in client.get("/").content.decode()
    place(district.station_a, *BEIJING_WGS)
    settings.MAP_TILES = ""
    html = client.get("/").content.decode()
    assert 'id="finder-map"' not in html
    assert "data-lat" not in html
    assert "北山街道人大代表联络站" in html  # the list works on its own


@pytest.mark.django_db
def test_nearby_measures_a_gcj02_station_from_the_wgs84_visitor(client, district):
    # The station was picked on AMap at the very spot the visitor's phone reports.
    place(district.station_a, *geo.wgs84_to_gcj02(*BEIJING_WGS), system=CoordinateSystem.GCJ02)
    html = client.get("/", {"lat": BEIJING_WGS[0], "lng": BEIJING_WGS[1]}).content.decode()
    assert re.search(r"class=\"distance\">0\.0\D", html), "the ~600 m shift was not undone"


@pytest.mark.django_db
def test_the_coordinate_system_is_chosen_in_the_admin(admin_client, district):
    html = admin_client.get(f"/admin/directory/station/{district.station_a.pk}/change/").content
    assert b'name="coordinate_system"' in html
