"""Refused POSTs: the standard's error format, the right status, nothing written."""

import pytest

from liaison.api.keys import create_key, revoke_key
from liaison.cases.models import Case
from tests.factories import StationFactory

from .conftest import BASE, PHONE, body
from .test_requests_post import _post


@pytest.fixture
def nothing_written(db):
    before = Case.objects.count()
    yield
    assert Case.objects.count() == before


def _error(response, status, fmt="json", contains=""):
    assert response.status_code == status, response.content
    data = body(response, fmt)
    if fmt == "xml":
        assert data.tag == "errors"
        data = [
            {"code": int(e.findtext("code")), "description": e.findtext("description")}
            for e in data.findall("error")
        ]
    assert all(e["code"] == status for e in data)
    text = " ".join(e["description"] for e in data)
    assert contains in text
    return text


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_api_key(client, located, nothing_written, fmt):
    _error(_post(client, None, fmt), 400, fmt, "api_key")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_api_key(client, located, nothing_written, fmt):
    _error(_post(client, "lia_not-a-real-key", fmt), 403, fmt)


def test_revoked_api_key(client, located, accounts, nothing_written):
    key, raw = create_key(name="old partner", scopes=["cases:submit"])
    revoke_key(key, actor=accounts.administrator)
    _error(_post(client, raw), 403)


def test_key_without_the_submit_scope(client, located, nothing_written):
    _key, raw = create_key(name="reader", scopes=["cases:read"])
    _error(_post(client, raw), 403, contains="cases:submit")


def test_unknown_service_code(client, located, api_key, nothing_written):
    _error(_post(client, api_key, service_code="nothing"), 400, contains="nothing")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_location(client, located, api_key, nothing_written, fmt):
    _error(_post(client, api_key, fmt, lat=None, long=None), 400, fmt, "address_string")


def test_address_only_without_a_default_station(client, located, api_key, nothing_written):
    _error(_post(client, api_key, lat=None, long=None, address_string="文三路90号"), 400)


def test_position_without_a_station_nearby_and_no_default(
    client, located, api_key, nothing_written
):
    _error(_post(client, api_key, lat="39.9", long="116.4"), 400)


def test_inactive_default_station_is_refused(client, located, api_key, nothing_written, settings):
    settings.OPEN311_DEFAULT_STATION = StationFactory(is_active=False).code
    _error(_post(client, api_key, lat=None, long=None, address_string="文三路90号"), 400)


@pytest.mark.parametrize(
    "fields",
    [
        {"lat": "north", "long": "120.1"},
        {"lat": "30.2", "long": None},
        {"lat": "95", "long": "120.1"},
        {"lat": "NaN", "long": "120.1"},
    ],
)
def test_bad_position(client, located, api_key, nothing_written, fields):
    _error(_post(client, api_key, **fields), 400)


@pytest.mark.parametrize("phone", ["12345", "0571-87654321"])
def test_bad_phone(client, located, api_key, nothing_written, phone):
    _error(_post(client, api_key, phone=phone), 400, contains="phone")


@pytest.mark.parametrize("description", [None, "   "])
def test_missing_description(client, located, api_key, nothing_written, description):
    _error(_post(client, api_key, description=description), 400, contains="description")


def test_bad_media_url(client, located, api_key, nothing_written):
    _error(_post(client, api_key, media_url="file:///etc/passwd"), 400, contains="media_url")


def test_every_problem_is_reported_at_once(client, located, api_key, nothing_written):
    text = _error(_post(client, api_key, service_code="", description="", lat=None, long=None), 400)
    assert "service_code" in text and "description" in text and "address_string" in text


def test_other_methods_are_refused(client, db):
    response = client.put(f"{BASE}/requests.json", {"phone": PHONE})
    assert response.status_code == 405
