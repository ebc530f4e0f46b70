"""The API refuses what its schema forbids and the schema allows what the API accepts: the
classes schemathesis found (docs/api.md, "Fuzzing the API"), each through HTTP."""

import pytest
from django.utils import timezone

from liaison.api.keys import create_key
from liaison.cases.models import Case
from liaison.notifications.models import Notification

from .test_cases_public import URL as SUBMIT_URL
from .test_cases_public import body


@pytest.fixture
def staff_api(api, accounts):
    _key, raw = create_key(name="t", user=accounts.county_committee, scopes=["staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return api


@pytest.fixture
def schema(api, db):
    return api.get("/api/v1/openapi.json").json()


def refused(response, field):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["field"] == field
    return response.json()["error"]["message"]


@pytest.mark.parametrize(
    "query, field",
    [
        ({"page_size": "null"}, "page_size"),  # DRF fell back to 20
        ({"page_size": "0"}, "page_size"),
        ({"page": "-1"}, "page"),
        ({"ordering": "ü"}, "ordering"),  # DRF's OrderingFilter dropped it
        ({"kind": ""}, "kind"),  # an empty value is not "any": leave the parameter out
        ({"q": ["a", "b"]}, "q"),  # given twice
    ],
)
def test_a_query_parameter_the_schema_forbids_is_a_400(api, district, query, field):
    refused(api.get("/api/v1/stations/", query, HTTP_ACCEPT_LANGUAGE="en"), field)


def test_query_formats_and_patterns_are_the_schemas(api, district):
    refused(api.get("/api/v1/activities/", {"to": ""}), "to")
    refused(api.get("/api/v1/activities/", {"to": "2026-13-01"}), "to")
    assert api.get("/api/v1/activities/", {"to": "2026-12-01"}).status_code == 200
    calendar = f"/api/v1/stations/{district.station_a.public_code}/calendar"
    for month in ("0641-57", "2026-13", "２０２６-11", "2026-11 "):
        refused(api.get(calendar, {"month": month}), "month")
    assert api.get(calendar, {"month": "2026-1"}).status_code == 200
    assert api.get("/api/v1/stations/", {"page_size": 500}).status_code == 200  # capped


def test_staff_suggestion_lists_take_any_year_in_the_schemas_range(staff_api):
    for url in ("/api/v1/staff/suggestions/", "/api/v1/staff/suggestions/outcomes/"):
        assert staff_api.get(url, {"year": 2003}).status_code == 200
        refused(staff_api.get(url, {"year": 0}), "year")
        refused(staff_api.get(url, {"year": "2026.5"}), "year")


def test_an_id_too_large_for_the_database_is_a_400_not_a_500(staff_api):
    response = staff_api.post("/api/v1/me/notifications/read/", {"ids": [2**40]}, format="json")
    refused(response, "ids")
    refused(staff_api.post("/api/v1/me/notifications/read/", {}, format="json"), None)


def test_options_is_a_405_problem_document(staff_api):
    response = staff_api.options("/api/v1/staff/cases/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize("phone", ["139 1234 5678", "1391234567", "23912345678"])
def test_a_mobile_number_is_taken_in_the_schemas_form(api, district, phone):
    response = api.post(SUBMIT_URL, body(district, citizen_phone=phone), format="json")
    refused(response, "citizen_phone")
    assert Case.objects.count() == 0 and Notification.objects.count() == 0
    ok = api.post(SUBMIT_URL, body(district, citizen_phone="+8613912345678"), format="json")
    assert ok.status_code == 201


def test_the_schema_states_what_the_server_checks(schema):
    assert schema["openapi"] == "3.1.0"
    components = schema["components"]["schemas"]
    for name in ("Slot", "StaffAppointment"):
        start = components[name]["properties"]["start_time"]
        assert "format" not in start and start["pattern"].startswith("^([01][0-9]")
    assert components["SubmitRequest"]["properties"]["privacy_accepted"]["const"] is True
    assert components["RejectActionRequest"]["properties"]["confirm"]["const"] is True
    assert "anyOf" in components["MarkReadRequest"]
    for name, component in components.items():
        if name.endswith("Request"):
            assert component["propertyNames"] == {"pattern": "^[^\\u0000]*$"}, name
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "401", "403", "404", "405", "406", "414", "429", "500"} <= set(
                responses
            ), (method, path)
            assert list(responses["414"]["content"]) == ["text/html"]
            for parameter in operation.get("parameters", []):
                if parameter["name"] in ("page", "page_size"):
                    assert parameter["schema"]["minimum"] == 1


def test_todays_year_is_inside_the_documented_range(schema):
    year = next(
        p["schema"]
        for p in schema["paths"]["/api/v1/staff/suggestions/"]["get"]["parameters"]
        if p["name"] == "year"
    )
    assert year["minimum"] <= timezone.localdate().year <= year["maximum"]


def test_a_json_field_of_another_type_is_a_400_naming_it(staff_api, district):
    visit = {"station": district.station_a.public_code, "received_on": [None, None]}
    refused(staff_api.post("/api/v1/staff/receptions/", visit, format="json"), "received_on")
    read = {"ids": 7}
    refused(staff_api.post("/api/v1/me/notifications/read/", read, format="json"), "ids")
    # A whole number written 25.0 is a whole number (JSON Schema, DRF and Django agree).
    fine = staff_api.post("/api/v1/me/notifications/read/", {"ids": [1.0]}, format="json")
    assert fine.status_code == 200
