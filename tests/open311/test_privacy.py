"""Public GET responses never carry the citizen's personal data; their words only by consent."""

from decimal import Decimal

import pytest

from liaison.cases import services
from liaison.cases.models import Channel

from .conftest import BASE, NAME, PHONE, body, xml_requests


@pytest.fixture
def cases(flow):
    consented = flow.submit(
        public_consent=True,
        location_text="保俶路12号",
        latitude=Decimal("30.26"),
        longitude=Decimal("120.13"),
    )
    private = flow.submit(
        description="我家门口的路灯坏了。",
        location_text="保俶路8号3单元",
        latitude=Decimal("30.2"),
        longitude=Decimal("120.1"),
    )
    answered = flow.to("closed")
    return consented, private, answered


def _every_response(client, cases):
    for fmt in ("json", "xml"):
        yield client.get(f"{BASE}/requests.{fmt}")
        yield client.get(f"{BASE}/requests.{fmt}", {"status": "closed"})
        for case in cases:
            yield client.get(f"{BASE}/requests/{case.tracking_number}.{fmt}")
            yield client.get(f"{BASE}/tokens/{case.tracking_number}.{fmt}")


def test_phone_and_name_never_appear(client, cases):
    for response in _every_response(client, cases):
        assert response.status_code == 200
        text = response.content.decode()
        assert PHONE not in text and "****" not in text and NAME not in text


def test_without_consent_description_and_location_are_withheld(client, cases):
    _consented, private, _answered = cases
    [row] = client.get(f"{BASE}/requests/{private.tracking_number}.json").json()
    assert row["description"] is None
    assert row["address"] is None and row["lat"] is None and row["long"] is None
    [xml_row] = xml_requests(
        body(client.get(f"{BASE}/requests/{private.tracking_number}.xml"), "xml")
    )
    assert xml_row["description"] is None and xml_row["address"] is None
    text = client.get(f"{BASE}/requests.json").content.decode()
    assert "我家门口" not in text and "3单元" not in text


def test_with_consent_description_and_location_are_shown(client, cases):
    consented, _private, _answered = cases
    [row] = client.get(f"{BASE}/requests/{consented.tracking_number}.json").json()
    assert row["description"] == consented.description
    assert row["address"] == "保俶路12号"
    assert (row["lat"], row["long"]) == (30.26, 120.13)


def test_timeline_notes_are_withheld_without_consent(client, flow):
    case = flow.submit()
    services.request_info(case, actor=flow.a.station_a_staff, reason="陈女士请说明具体位置。")
    text = client.get(f"{BASE}/requests/{case.tracking_number}.json").content.decode()
    assert "具体位置" not in text


def test_unconfirmed_online_drafts_are_not_published(client, flow):
    draft = flow.submit(channel=Channel.ONLINE, verify_phone=True)
    assert client.get(f"{BASE}/requests/{draft.tracking_number}.json").status_code == 404
    assert client.get(f"{BASE}/tokens/{draft.tracking_number}.json").status_code == 404
    listed = {r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()}
    assert draft.tracking_number not in listed
