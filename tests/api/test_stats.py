"""Statistics over the API: public and aggregated, staff and scoped; bad input is a problem
document naming the parameter."""

import pytest

from liaison.api.keys import create_key
from liaison.stats import rollup

from ..cases.conftest import Flow

PERIOD = {"start": "2020-01-01", "end": "2029-12-31"}


@pytest.fixture
def counted(district, accounts):
    flow = Flow(district, accounts)
    flow.to("closed")
    flow.to("rejected")
    flow.submit(station=district.station_b, deputy=district.dep_b)
    rollup.update()
    return flow


@pytest.fixture
def as_user(api):
    def sign_in(user):
        _key, raw = create_key(name="test", user=user, scopes=["staff"])
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
        return api

    return sign_in


def test_public_figures_hide_small_counts(api, counted, district):
    response = api.get("/api/v1/stats/", PERIOD)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["counts"]["received"] is None  # 3: fewer than 5
    assert body["counts"]["merged"] == 0
    assert body["rates"]["satisfaction"]["rate"] is None
    assert [d["code"] for d in body["departments"]] == [district.department_a.code]
    for _ in range(3):
        counted.submit()
    rollup.update()
    assert api.get("/api/v1/stats/", PERIOD).json()["counts"]["received"] == 6


def test_staff_figures_are_scoped(as_user, accounts, district, counted):
    api = as_user(accounts.county_committee)
    body = api.get("/api/v1/staff/stats/", PERIOD).json()
    assert body["counts"]["received"] == 3
    assert body["steps"]["review"]["denominator"] == 2
    narrowed = api.get("/api/v1/staff/stats/", {**PERIOD, "region": district.street_b.code})
    assert narrowed.json()["counts"]["received"] == 1


def test_a_street_committee_cannot_reach_another_street(as_user, accounts, district, counted):
    api = as_user(accounts.street_a_committee)
    assert api.get("/api/v1/staff/stats/", PERIOD).json()["counts"]["received"] == 2
    response = api.get("/api/v1/staff/stats/", {**PERIOD, "region": district.street_b.code})
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "This region is outside your scope."
    response = api.get("/api/v1/staff/stats/", {**PERIOD, "station": district.station_b.code})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "start"),
        ({"start": "2026-01-01"}, "end"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "start"),
        ({"start": "2001-01-01", "end": "2026-04-01"}, "start"),
        ({"start": "soon", "end": "2026-04-01"}, "start"),
        ({**PERIOD, "station": "x" * 50}, "station"),
    ],
)
def test_bad_input_is_a_problem_document(api, counted, query, field):
    response = api.get("/api/v1/stats/", query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({**PERIOD, "region": "999999999999"}, "There is no region with this division code."),
        ({**PERIOD, "station": "nope"}, "There is no station with this number."),
    ],
)
def test_an_unknown_place_is_not_found(api, counted, query, message):
    response = api.get("/api/v1/stats/", query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == message


def test_both_are_in_the_schema(api, db):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/stats/" in paths and "/api/v1/staff/stats/" in paths


def test_the_work_and_suggestions_are_in_the_api_scoped(as_user, api, accounts, district, counted):
    from liaison.receptions.services import Matter, register_visit
    from liaison.stats import deputies, work

    for station, staff in ((district.station_a, accounts.station_a_staff),) * 2 + (
        (district.station_b, accounts.station_b_staff),
    ):
        register_visit(
            actor=staff,
            station=station,
            visitor_name="陈女士",
            visitor_phone="13912345678",
            matters=[Matter(district.category, "路灯不亮", "路灯不亮。")],
            privacy_accepted=True,
        )
    work.update()
    deputies.refresh()
    public = api.get("/api/v1/stats/", PERIOD).json()
    assert public["work"]["visitors"] is None  # 3: fewer than 5
    assert "deputies" not in public["work"] and public["suggestions"]["submitted"] == 0
    assert public["coverage"]["townships"]["denominator"] == 2
    street = as_user(accounts.street_a_committee)
    body = street.get("/api/v1/staff/stats/", PERIOD).json()
    assert body["work"]["visitors"] == 2
    assert body["open_now"]["open"] == 2  # the two visits' matters, still open
    assert body["three_ones"]["year"] == 2029  # the year of the last day
    response = street.get("/api/v1/staff/stats/", {**PERIOD, "station": district.station_b.code})
    assert response.status_code == 403 and "work" not in response.json()
