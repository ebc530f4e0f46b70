"""The staff API's action bodies take an internal note and a message to the citizen; the
timeline says which words the citizen sees."""

import pytest

from liaison.api.keys import create_key

from ..cases.conftest import Flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_api(api, accounts):
    _key, raw = create_key(name="t", user=accounts.station_a_staff, scopes=["staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return api


def test_accept_with_a_message_to_the_citizen(staff_api, district, accounts):
    case = Flow(district, accounts).submit(channel="phone")
    url = f"/api/v1/staff/cases/{case.tracking_number}/actions/accept/"
    response = staff_api.post(url, {"note": "内部备注", "to_citizen": "已受理。"}, format="json")
    assert response.status_code == 200, response.content
    [event] = [e for e in response.json()["timeline"] if e["verb"] == "case.accepted"]
    assert event["note"] == "内部备注" and event["public_note"] == "已受理。"


def test_a_message_too_long_is_a_problem_document(staff_api, district, accounts):
    case = Flow(district, accounts).submit(channel="phone")
    url = f"/api/v1/staff/cases/{case.tracking_number}/actions/accept/"
    response = staff_api.post(url, {"to_citizen": "字" * 1001}, format="json")
    assert response.status_code == 400
    problem = response.json()
    assert problem["status"] == 400 and problem["error"]["field"] == "to_citizen"
    case.refresh_from_db()
    assert case.status == "submitted"
