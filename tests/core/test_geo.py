"""WGS-84 ⇄ GCJ-02 (liaison/core/geo.py) against the published reference points, and the map
settings that go with it (liaison/core/env.py)."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from liaison.core import geo
from liaison.core.env import env_choice, tile_origins
from liaison.directory.selectors import haversine_km

# (WGS-84 lat, lng) → (GCJ-02 lat, lng), the eviltransform project's reference points.
REFERENCE = [
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
]


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_wgs84_to_gcj02_matches_the_reference(wgs, gcj):
    lat, lng = geo.wgs84_to_gcj02(*wgs)
    assert lat == pytest.approx(gcj[0], abs=1e-9)
    assert lng == pytest.approx(gcj[1], abs=1e-9)
    assert geo.convert(*wgs, geo.WGS84, geo.GCJ02) == (lat, lng)


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_gcj02_to_wgs84_inverts_to_well_under_a_metre(wgs, gcj):
    lat, lng = geo.gcj02_to_wgs84(*gcj)
    assert haversine_km(lat, lng, *wgs) * 1000 < 0.05
    assert geo.convert(*gcj, geo.GCJ02, geo.WGS84) == (lat, lng)


def test_the_shift_is_hundreds_of_metres_in_china():
    (wgs, gcj) = REFERENCE[0]
    assert 300 < haversine_km(*wgs, *gcj) * 1000 < 800


@pytest.mark.parametrize(
    "point",
    [(48.8566, 2.3522), (-33.8688, 151.2093), (40.7128, -74.006), (39.9, 72.0), (56.0, 120.0)],
)
def test_outside_china_both_systems_are_the_same(point):
    assert geo.out_of_china(*point)
    assert geo.wgs84_to_gcj02(*point) == point
    assert geo.gcj02_to_wgs84(*point) == point


def test_inside_the_box_is_china():
    assert not geo.out_of_china(39.9, 116.4)
    assert not geo.out_of_china(39.9, 72.01)


def test_same_system_is_unchanged_and_an_unknown_one_is_refused():
    assert geo.convert(30.0, 120.0, geo.GCJ02, geo.GCJ02) == (30.0, 120.0)
    with pytest.raises(ValueError):
        geo.convert(30.0, 120.0, "bd09", geo.WGS84)


def test_tile_origins_are_one_per_subdomain():
    amap = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&style=8&x={x}&y={y}&z={z}"
    assert tile_origins("V", amap, "1234") == [f"https://webrd0{n}.is.autonavi.com" for n in "1234"]
    osm = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert tile_origins("V", osm, "") == ["https://tile.openstreetmap.org"]
    assert tile_origins("V", "", "abc") == []


@pytest.mark.parametrize(
    "template",
    ["javascript:alert(1)//{z}", "https://{key}.example.com/{z}/{x}/{y}", "/tiles/{z}/{x}/{y}"],
)
def test_a_tile_url_that_names_no_fixed_host_stops_the_start(template):
    with pytest.raises(ImproperlyConfigured, match="LIAISON_MAP_TILES"):
        tile_origins("LIAISON_MAP_TILES", template, "")


def test_an_unknown_coordinate_system_stops_the_start(monkeypatch):
    monkeypatch.setenv("LIAISON_MAP_COORDINATES", "bd09")
    with pytest.raises(ImproperlyConfigured, match="LIAISON_MAP_COORDINATES"):
        env_choice("LIAISON_MAP_COORDINATES", "wgs84", ("wgs84", "gcj02"))
    monkeypatch.setenv("LIAISON_MAP_COORDINATES", "GCJ02")
    assert env_choice("LIAISON_MAP_COORDINATES", "wgs84", ("wgs84", "gcj02")) == "gcj02"


def test_the_policy_allows_the_configured_tile_hosts():
    """Read from the environment at start-up, as a deployment does."""
    env = os.environ | {
        "LIAISON_MAP_TILES": "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk={key}&x={x}&y={y}&l={z}",
        "LIAISON_MAP_SUBDOMAINS": "01",
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
    }
    code = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "'https://t0.tianditu.gov.cn', 'https://t1.tianditu.gov.cn'" in out
