from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from liaison.cases import services
from liaison.cases.models import Case

from .conftest import BASE, body, xml_requests

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _requested(case, when):
    Case.objects.filter(pk=case.pk).update(created_at=when)


def test_one_request_json_has_the_standard_fields(client, flow):
    case = flow.submit(public_consent=True, location_text="保俶路12号")
    response = client.get(f"{BASE}/requests/{case.tracking_number}.json")
    assert response.status_code == 200
    [request] = body(response, "json")
    case.refresh_from_db()
    assert request["service_request_id"] == case.tracking_number
    assert request["status"] == "open"
    assert request["service_code"] == "roads"
    assert request["service_name"] == "道路交通"
    assert request["description"] == case.description
    assert request["address"] == "保俶路12号"
    assert request["agency_responsible"] == flow.d.station_a.name
    assert request["media_url"] is None
    assert request["status_notes"] and request["service_notice"]
    expected = timezone.localtime(case.due_at, SHANGHAI).isoformat(timespec="seconds")
    assert request["expected_datetime"] == expected
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert request[field].endswith("+08:00"), field
        assert datetime.fromisoformat(request[field]).utcoffset() == timedelta(hours=8)


def test_one_request_xml(client, flow):
    case = flow.submit()
    response = client.get(f"{BASE}/requests/{case.tracking_number}.xml")
    [request] = xml_requests(body(response, "xml"))
    assert request["service_request_id"] == case.tracking_number
    assert request["status"] == "open"
    assert request["requested_datetime"].endswith("+08:00")
    assert request["media_url"] is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_is_a_404(client, db, fmt):
    response = client.get(f"{BASE}/requests/0000000000.{fmt}")
    assert response.status_code == 404


def test_closed_statuses_are_closed_and_open_ones_open(client, flow):
    open_case = flow.to("assigned")
    closed = flow.to("closed")
    rejected = flow.to("rejected")
    data = {r["service_request_id"]: r for r in body(client.get(f"{BASE}/requests.json"), "json")}
    assert data[open_case.tracking_number]["status"] == "open"
    assert data[closed.tracking_number]["status"] == "closed"
    assert data[rejected.tracking_number]["status"] == "closed"
    # The lead department handles the assigned case.
    assert data[open_case.tracking_number]["agency_responsible"] == flow.d.department_a.name
    assert data[closed.tracking_number]["expected_datetime"] is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_status_filter(client, flow, fmt):
    open_case = flow.submit()
    closed = flow.to("withdrawn")

    def ids(query):
        response = client.get(f"{BASE}/requests.{fmt}", query)
        assert response.status_code == 200
        data = body(response, fmt)
        rows = data if fmt == "json" else xml_requests(data)
        return {r["service_request_id"] for r in rows}

    assert ids({"status": "open"}) == {open_case.tracking_number}
    assert ids({"status": "closed"}) == {closed.tracking_number}
    assert ids({"status": "open,closed"}) == {open_case.tracking_number, closed.tracking_number}


def test_service_code_and_id_filters(client, flow):
    from tests.factories import CategoryFactory

    other = CategoryFactory(code="lights")
    roads = flow.submit()
    lights = flow.submit(category=other)
    third = flow.submit()

    def ids(query):
        return {r["service_request_id"] for r in client.get(f"{BASE}/requests.json", query).json()}

    assert ids({"service_code": "lights"}) == {lights.tracking_number}
    assert ids({"service_code": "roads,lights"}) == {
        roads.tracking_number,
        lights.tracking_number,
        third.tracking_number,
    }
    wanted = f"{roads.tracking_number},{third.tracking_number}"
    assert ids({"service_request_id": wanted}) == {roads.tracking_number, third.tracking_number}
    # service_request_id overrides the other filters, as the standard says.
    assert ids({"service_request_id": wanted, "service_code": "lights"}) == {
        roads.tracking_number,
        third.tracking_number,
    }


def test_date_filters_with_offsets(client, flow):
    early, late = flow.submit(), flow.submit()
    _requested(early, datetime(2025, 9, 1, 23, 30, tzinfo=SHANGHAI))  # 15:30 UTC
    _requested(late, datetime(2025, 9, 2, 9, 0, tzinfo=SHANGHAI))

    def ids(query):
        response = client.get(f"{BASE}/requests.json", query)
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()}

    window = {"start_date": "2025-09-01T00:00:00+08:00", "end_date": "2025-09-03T00:00:00+08:00"}
    assert ids(window) == {early.tracking_number, late.tracking_number}
    # The same instant written in UTC: 2025-09-01T16:00Z is 2025-09-02 00:00 in Shanghai.
    assert ids({"start_date": "2025-09-01T16:00:00Z", "end_date": "2025-09-03T00:00:00Z"}) == {
        late.tracking_number
    }
    assert ids(
        {"start_date": "2025-08-01T00:00:00+08:00", "end_date": "2025-09-02T00:00:00+08:00"}
    ) == {early.tracking_number}
    [row] = client.get(f"{BASE}/requests/{early.tracking_number}.json").json()
    assert row["requested_datetime"] == "2025-09-01T23:30:00+08:00"


def test_default_is_the_last_90_days(client, flow):
    old, recent = flow.submit(), flow.submit()
    _requested(old, timezone.now() - timedelta(days=91))
    ids = {r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()}
    assert ids == {recent.tracking_number}


def test_at_most_1000_requests(client, flow, monkeypatch):
    from liaison.open311 import publish

    monkeypatch.setattr(publish, "MAX_REQUESTS", 2)
    for _ in range(3):
        flow.submit()
    assert len(client.get(f"{BASE}/requests.json").json()) == 2


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "yesterday"},
        {"end_date": "2025-13-40T00:00:00Z"},
        {"status": "pending"},
        {"start_date": "2025-09-03T00:00:00Z", "end_date": "2025-09-01T00:00:00Z"},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_400_in_the_error_format(client, db, query, fmt):
    response = client.get(f"{BASE}/requests.{fmt}", query)
    assert response.status_code == 400
    data = body(response, fmt)
    if fmt == "json":
        assert data[0]["code"] == 400 and data[0]["description"]
    else:
        assert data.tag == "errors" and data.findtext("error/code") == "400"


def test_status_notes_follow_the_public_timeline(client, flow):
    case = flow.submit(public_consent=True)
    services.request_info(case, actor=flow.a.station_a_staff, reason="请说明具体位置。")
    [row] = client.get(f"{BASE}/requests/{case.tracking_number}.json").json()
    assert row["status_notes"] == "请说明具体位置。"
    assert row["expected_datetime"] is None  # the clock is paused


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_token_maps_to_the_request_id(client, flow, fmt):
    case = flow.submit()
    response = client.get(f"{BASE}/tokens/{case.tracking_number}.{fmt}")
    assert response.status_code == 200
    data = body(response, fmt)
    rows = data if fmt == "json" else xml_requests(data)
    assert rows == [{"service_request_id": case.tracking_number, "token": case.tracking_number}]
    assert client.get(f"{BASE}/tokens/0000000000.{fmt}").status_code == 404
