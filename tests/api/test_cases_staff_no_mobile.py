"""Through the staff API: entering a letter with only an address, recording the delivery of the
answer and entering the rating from the return slip — the same forms and services as the pages."""

import pytest

from liaison.api.keys import create_key
from liaison.cases.models import Case, CaseEvent
from liaison.cases.workflow import Status

from ..cases.conftest import Flow

QUEUE = "/api/v1/staff/cases/"
ADDRESS = "杭州市西湖区保俶路12号3单元201室"


@pytest.fixture
def staff_api(api, accounts):
    _key, raw = create_key(name="test", user=accounts.station_a_staff, scopes=["staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return api


def entry(district, **overrides):
    data = {
        "station": district.station_a.public_code,
        "channel": "letter",
        "category": district.category.code,
        "title": "路灯不亮",
        "description": "保俶路12号门口的路灯坏了一个月。",
        "citizen_address": ADDRESS,
        "privacy_accepted": True,
    }
    return {**data, **overrides}


def test_a_letter_with_only_an_address_is_entered(staff_api, district):
    response = staff_api.post(QUEUE, entry(district), format="json")
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.citizen_address == ADDRESS and case.citizen_phone == ""
    body = response.json()
    assert body["has_postal_address"] is True and body["citizen_phone"] == ""
    assert ADDRESS not in response.content.decode()  # the address itself stays on the page


def test_no_contact_at_all_is_a_400_on_the_phone(staff_api, district):
    response = staff_api.post(QUEUE, entry(district, citizen_address=""), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "citizen_phone"
    assert not Case.objects.exists()


def test_delivery_and_rating_through_the_api(staff_api, district, accounts):
    case = Flow(district, accounts).to(
        Status.ANSWERED,
        channel="letter",
        citizen_phone="",
        citizen_address=ADDRESS,
        actor=accounts.station_a_staff,
    )
    url = f"{QUEUE}{case.tracking_number}/actions/"
    body = {"expected_status": "answered", "how": "handed_over"}
    response = staff_api.post(url + "record_delivery/", body, format="json")
    assert response.status_code == 200, response.content
    assert CaseEvent.objects.filter(case=case, verb="case.answer_delivered").exists()
    bad = {"expected_status": "answered", "rating": "basic", "via": "carrier pigeon"}
    response = staff_api.post(url + "rate/", bad, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == "via"
    good = {"expected_status": "answered", "rating": "satisfied", "via": "return_slip"}
    response = staff_api.post(url + "rate/", good, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.CLOSED
