"""An independent Open311 client against the running server: the PyPI package `georeport`
(0.3.1) lists services, reads definitions and requests, in JSON and XML. It has no call to file
a request, so the POST is made the way the standard describes (form-encoded, with `requests`,
which georeport itself uses)."""

from decimal import Decimal

import pytest
import requests
from django.db import connections
from georeport import GeoReport

from liaison.api.keys import create_key
from liaison.cases.models import Case
from liaison.cases.workflow import Status
from tests.factories import CategoryFactory, RegionFactory, StationFactory

PHONE = "13912345678"


@pytest.fixture
def server(live_server, transactional_db, monkeypatch):
    # The server's request threads must not keep persistent connections (DATABASE_CONN_MAX_AGE):
    # PostgreSQL would refuse to drop the test database while they are open.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    region = RegionFactory(code="330106001000", name="北山街道")
    StationFactory(
        code="BS01", region=region, latitude=Decimal("30.259"), longitude=Decimal("120.13")
    )
    CategoryFactory(code="roads", name="道路交通", name_en="Roads and traffic")
    _key, raw = create_key(name="city app", scopes=["cases:submit"])
    return f"{live_server.url}/open311/v2", raw


def _post(root, api_key, fmt):
    response = requests.post(
        f"{root}/requests.{fmt}",
        data={
            "api_key": api_key,
            "jurisdiction_id": "xihu",
            "service_code": "roads",
            "lat": "30.2591",
            "long": "120.1301",
            "description": "人行道塌陷。",
            "phone": PHONE,
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_lists_files_and_follows(server, fmt):
    root, api_key = server
    client = GeoReport(root, jurisdiction="xihu", api_key=api_key, output_format=fmt)

    services = client.get_service_list()
    service = services if fmt == "xml" else services[0]  # xmltodict: one item is a dict
    assert service["service_code"] == "roads"
    assert service["service_name"] == "道路交通"
    definition = client.get_service_definition("roads")
    assert definition["service_code"] == "roads"

    response = _post(root, api_key, fmt)
    if fmt == "json":
        number = response.json()[0]["service_request_id"]
    else:
        import xmltodict

        number = xmltodict.parse(response.content)["service_requests"]["request"][
            "service_request_id"
        ]
    assert Case.objects.get(tracking_number=number).status == Status.SUBMITTED

    request = client.get_service_request(number)
    assert request["service_request_id"] == number
    assert request["status"] == "open"
    assert request["requested_datetime"].endswith("+08:00")
    listed = client.get_service_requests(service_request_id=number, status="open")
    listed = [listed] if isinstance(listed, dict) else listed
    assert [r["service_request_id"] for r in listed] == [number]
    assert PHONE not in str(listed)


def test_georeport_client_sees_http_errors(server):
    root, _api_key = server
    client = GeoReport(root)
    with pytest.raises(requests.HTTPError) as raised:
        client.get_service_definition("nothing")
    assert raised.value.response.status_code == 404
    assert raised.value.response.json()[0]["code"] == 404
