"""Positions on the map in China: WGS-84 and GCJ-02.

WGS-84 is what GPS and a phone's browser report, and what Tianditu (天地图, CGCS2000, the same
to within centimetres) draws. GCJ-02 (国测局坐标) is what AMap (高德) and Tencent Maps draw and
what their coordinate pickers give: inside China it is WGS-84 shifted by an obfuscation of a few
hundred metres; outside China's bounding box both are the same. The formulas are the published ones
(as in the eviltransform project); GCJ-02 has no closed-form inverse, so it is inverted by
iteration to well under a metre.
"""

import math

WGS84 = "wgs84"
GCJ02 = "gcj02"

_A = 6378245.0  # the Krasovsky 1940 ellipsoid the obfuscation is defined on
_EE = 0.00669342162296594323


def out_of_china(lat: float, lng: float) -> bool:
    """Outside the rough box in which GCJ-02 differs from WGS-84 (the rule every implementation
    shares; it includes some of China's neighbours, as the real maps do)."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _shift(lat: float, lng: float) -> tuple[float, float]:
    x, y = lng - 105.0, lat - 35.0
    waves = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lat += waves
    d_lat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2 / 3
    d_lng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    d_lng += waves
    d_lng += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lng += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return d_lat, d_lng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    d_lat, d_lng = _shift(lat, lng)
    return lat + d_lat, lng + d_lng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """The WGS-84 point whose GCJ-02 image is (lat, lng), found by fixed-point iteration (the shift
    changes slowly, so each step gains several digits; ten are far more than needed)."""
    if out_of_china(lat, lng):
        return lat, lng
    wgs_lat, wgs_lng = lat, lng
    for _ in range(10):
        gcj_lat, gcj_lng = wgs84_to_gcj02(wgs_lat, wgs_lng)
        wgs_lat, wgs_lng = wgs_lat - (gcj_lat - lat), wgs_lng - (gcj_lng - lng)
        if abs(gcj_lat - lat) < 1e-9 and abs(gcj_lng - lng) < 1e-9:
            break
    return wgs_lat, wgs_lng


def convert(lat: float, lng: float, source: str, target: str) -> tuple[float, float]:
    """A position given in `source` as the map drawn in `target` needs it."""
    if source == target:
        return lat, lng
    if (source, target) == (WGS84, GCJ02):
        return wgs84_to_gcj02(lat, lng)
    if (source, target) == (GCJ02, WGS84):
        return gcj02_to_wgs84(lat, lng)
    raise ValueError(f"unknown coordinate systems {source!r} → {target!r}")
