"""Open311 fixtures: a located station, API keys, and cases from tests/cases/conftest.py's flow."""

import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from liaison.api.keys import create_key
from tests.cases.conftest import Flow

BASE = "/open311/v2"
PHONE = "13912345678"  # the flow's citizen
NAME = "陈女士"


@pytest.fixture
def flow(district, accounts):
    return Flow(district, accounts)


@pytest.fixture
def located(district):
    """station_a at the West Lake; station_b 10 km west of it."""
    for station, lat, lng in (
        (district.station_a, "30.259000", "120.130000"),
        (district.station_b, "30.270000", "120.030000"),
    ):
        station.latitude, station.longitude = Decimal(lat), Decimal(lng)
        station.save()
    return district


@pytest.fixture
def api_key(db):
    _key, raw = create_key(name="12345 hotline", scopes=["cases:submit"])
    return raw


def body(response, fmt):
    """The parsed body: JSON as is, XML as an ElementTree root."""
    if fmt == "json":
        assert response["Content-Type"] == "application/json"
        return json.loads(response.content)
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def xml_requests(root) -> list[dict]:
    assert root.tag == "service_requests"
    return [{child.tag: child.text for child in item} for item in root.findall("request")]
