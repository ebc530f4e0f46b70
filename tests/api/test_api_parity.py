"""What the web pages do, through the API: resend the confirmation code, open tracking with an
SMS code, staff entry of a phone call or letter, and registering a visit with its matters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.api.keys import create_key
from liaison.cases.models import Case, Channel, PhoneCode
from liaison.notifications import phonecodes
from liaison.receptions.models import Visit
from tests.cases.conftest import Flow

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture
def flow(district, accounts):
    return Flow(district, accounts)


@pytest.fixture
def fixed_code(monkeypatch):
    monkeypatch.setattr(phonecodes, "new_code", lambda: "123456")
    return "123456"


@pytest.fixture
def as_user(api):
    def sign_in(user):
        _key, raw = create_key(name="test", user=user, scopes=["staff"])
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
        return api

    return sign_in


def draft(api, district) -> str:
    response = api.post(
        "/api/v1/cases/",
        {
            "deputy": district.dep_a.public_code,
            "category": district.category.code,
            "title": "路灯不亮",
            "description": "保俶路12号门口的路灯坏了。",
            "citizen_phone": PHONE,
            "privacy_accepted": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()["tracking_number"]


# --- resend the confirmation code ----------------------------------------------------------------


def test_resend_code_waits_a_minute_then_sends(api, district, fixed_code):
    number = draft(api, district)
    too_soon = api.post(f"/api/v1/cases/{number}/resend-code")
    assert too_soon.status_code == 429
    assert 0 < int(too_soon["Retry-After"]) <= 60
    PhoneCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    sent = api.post(f"/api/v1/cases/{number}/resend-code")
    assert sent.status_code == 202, sent.content
    verified = api.post(f"/api/v1/cases/{number}/verify", {"code": fixed_code}, format="json")
    assert verified.status_code == 200


def test_resend_code_is_404_for_a_verified_case_or_unknown_number(api, flow):
    case = flow.submit()
    assert api.post(f"/api/v1/cases/{case.tracking_number}/resend-code").status_code == 404
    assert api.post("/api/v1/cases/0000000000/resend-code").status_code == 404


# --- tracking opened with an SMS code ------------------------------------------------------------


def test_tracking_code_opens_the_case_once(api, flow, fixed_code):
    case = flow.submit()
    url = f"/api/v1/cases/{case.tracking_number}"
    assert api.post(f"{url}/tracking-code").status_code == 202
    opened = api.get(url, {"code": fixed_code})
    assert opened.status_code == 200
    assert opened.json()["tracking_number"] == case.tracking_number
    assert api.get(url, {"code": fixed_code}).status_code == 404  # used up


def test_tracking_code_answers_alike_for_an_unknown_number(api, db):
    response = api.post("/api/v1/cases/1234567890/tracking-code")
    assert response.status_code == 202


def test_wrong_tracking_codes_are_404_then_429_for_the_client(api, flow, fixed_code, settings):
    settings.LIAISON_RATE_TRACKING_FAILURES_PER_IP = 2
    case = flow.submit()
    url = f"/api/v1/cases/{case.tracking_number}"
    api.post(f"{url}/tracking-code")
    assert api.get(url, {"code": "000000"}).status_code == 404
    assert api.get(url, {"code": "000001"}).status_code == 404
    assert api.get(url, {"code": fixed_code}).status_code == 429


# --- staff entry of a phone call or letter -------------------------------------------------------


def entry(district, **overrides) -> dict:
    data = {
        "station": district.station_a.public_code,
        "channel": "phone",
        "category": district.category.code,
        "title": "噪音扰民",
        "description": "夜间施工。",
        "citizen_phone": PHONE,
        "privacy_accepted": True,
    }
    data.update(overrides)
    return data


def test_staff_enter_a_phone_call(as_user, district, accounts):
    response = as_user(accounts.station_a_staff).post(
        "/api/v1/staff/cases/", entry(district), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == Channel.PHONE
    assert body["citizen_phone"] != PHONE and "*" in body["citizen_phone"]
    assert Case.objects.get(tracking_number=body["tracking_number"]).citizen_phone == PHONE


def test_staff_entry_refuses_other_stations_and_bad_input(as_user, district, accounts):
    api = as_user(accounts.station_a_staff)
    other = api.post(
        "/api/v1/staff/cases/",
        entry(district, station=district.station_b.public_code),
        format="json",
    )
    assert other.status_code == 400
    assert other.json()["error"]["field"] == "station"
    no_consent = api.post(
        "/api/v1/staff/cases/", entry(district, privacy_accepted=False), format="json"
    )
    assert no_consent.status_code == 400
    assert no_consent.json()["error"]["field"] == "privacy_accepted"
    assert not Case.objects.exists()


def test_staff_entry_needs_an_authenticated_staff_account(api, district):
    assert api.post("/api/v1/staff/cases/", entry(district), format="json").status_code == 401


# --- receptions ----------------------------------------------------------------------------------


def visit(district, **overrides) -> dict:
    data = {
        "station": district.station_a.public_code,
        "received_on": "2024-01-02",
        "visitor_name": "陈女士",
        "visitor_phone": PHONE,
        "deputies": [district.dep_a.public_code],
        "privacy_accepted": True,
        "matters": [
            {"category": district.category.code, "title": "路灯", "description": "坏了"},
            {"category": district.category.code, "title": "垃圾", "description": "没人收"},
        ],
    }
    data.update(overrides)
    return data


def test_register_a_visit_and_list_it(as_user, district, accounts):
    api = as_user(accounts.station_a_staff)
    response = api.post("/api/v1/staff/receptions/", visit(district), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["tracking_numbers"]) == 2
    assert "*" in body["visitor_phone"]
    assert Case.objects.filter(channel=Channel.RECEPTION).count() == 2
    listed = api.get("/api/v1/staff/receptions/").json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    other = as_user(accounts.station_b_staff).get("/api/v1/staff/receptions/")
    assert other.json()["results"] == []


def test_a_bad_matter_leaves_nothing_behind(as_user, district, accounts):
    data = visit(district)
    data["matters"][1]["category"] = "nope"
    response = as_user(accounts.station_a_staff).post(
        "/api/v1/staff/receptions/", data, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "matters.1.category"
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_receptions_are_for_staff_only(api, as_user, district, accounts):
    assert api.get("/api/v1/staff/receptions/").status_code == 401
    assert as_user(accounts.deputy_a).get("/api/v1/staff/receptions/").status_code == 403
