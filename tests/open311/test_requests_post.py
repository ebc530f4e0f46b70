"""POST requests: a partner files a citizen's message; it enters review like any other."""

import pytest

from liaison.cases.models import Case, CaseEvent, Channel
from liaison.cases.workflow import Status

from .conftest import BASE, PHONE, body, xml_requests


def _post(client, api_key, fmt="json", **fields):
    data = {
        "api_key": api_key,
        "jurisdiction_id": "hangzhou.xihu",
        "service_code": "roads",
        "lat": "30.2591",
        "long": "120.1301",
        "description": "断桥附近的人行道塌陷。\n请尽快修复。",
        "phone": PHONE,
        "first_name": "女士",
        "last_name": "陈",
        "email": "chen@example.com",
        "device_id": "abc",
        "account_id": "42",
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"{BASE}/requests.{fmt}", data)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_files_a_case_awaiting_review(client, located, api_key, fmt):
    response = _post(client, api_key, fmt)
    assert response.status_code == 200, response.content
    data = body(response, fmt)
    [row] = data if fmt == "json" else xml_requests(data)
    case = Case.objects.get(tracking_number=row["service_request_id"])
    assert row["service_notice"]
    assert row["account_id"] is None
    assert case.status == Status.SUBMITTED
    assert case.channel == Channel.API
    assert case.station == located.station_a  # the nearest station
    assert case.category == located.category
    assert case.citizen_phone == PHONE
    assert case.citizen_name == "女士 陈"
    assert case.title == "断桥附近的人行道塌陷。"
    assert case.public_consent is False
    assert case.due_at is not None  # the review clock runs
    event = CaseEvent.objects.get(case=case, verb="case.submitted")
    consent = event.data["privacy_consent"]
    assert consent["how"] == "open311"
    assert consent["api_key"] == api_key[:8]


def test_nearest_station_is_chosen(client, located, api_key):
    response = _post(client, api_key, lat="30.2700", long="120.0310")
    [row] = response.json()
    assert Case.objects.get(tracking_number=row["service_request_id"]).station == located.station_b


def test_posted_case_is_in_the_station_staff_queue(client, located, api_key):
    [row] = _post(client, api_key).json()
    client.force_login(located_staff(located))
    page = client.get("/staff/cases/", {"tab": "all"})
    assert page.status_code == 200
    assert row["service_request_id"] in page.content.decode()


def located_staff(district):
    from liaison.accounts.models import Role
    from tests.factories import UserFactory

    return UserFactory(username="queue", role=Role.STATION_STAFF, station=district.station_a)


def test_media_url_is_kept_as_a_link_for_staff(client, located, api_key):
    [row] = _post(client, api_key, media_url="https://partner.example/p/1.jpg").json()
    case = Case.objects.get(tracking_number=row["service_request_id"])
    assert "https://partner.example/p/1.jpg" in case.description
    assert case.photos.count() == 0  # nothing downloaded


def test_address_only_goes_to_the_default_station(client, located, api_key, settings):
    settings.OPEN311_DEFAULT_STATION = located.station_b.code
    response = _post(client, api_key, lat=None, long=None, address_string="文三路90号")
    assert response.status_code == 200, response.content
    case = Case.objects.get(tracking_number=response.json()[0]["service_request_id"])
    assert case.station == located.station_b
    assert case.location_text == "文三路90号"
    assert case.latitude is None


def test_far_away_position_falls_back_to_the_default_station(client, located, api_key, settings):
    settings.OPEN311_DEFAULT_STATION = located.station_a.code
    response = _post(client, api_key, lat="39.9", long="116.4")
    assert response.status_code == 200
    case = Case.objects.get(tracking_number=response.json()[0]["service_request_id"])
    assert case.station == located.station_a


def test_jurisdiction_id_is_accepted_or_checked(client, located, api_key, settings):
    assert _post(client, api_key, jurisdiction_id=None).status_code == 200
    settings.OPEN311_JURISDICTION_ID = "hangzhou.xihu"
    assert _post(client, api_key).status_code == 200
    response = _post(client, api_key, jurisdiction_id="beijing")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404
