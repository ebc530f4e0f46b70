"""The queue filter's station and deputy are typed, not listed (issue 17): a county's queue page
renders no option per station or deputy, takes a code, a full name or an id (the dashboards' and
older links), refuses what is out of scope or ambiguous with a precise message, and the choices
endpoint answers at most 20 rows of the viewer's scope."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from liaison.cases.filters import MAX_CHOICES
from liaison.directory.models import Station

from ..factories import StationFactory
from .staff_pages import PHONE_CALL, signed_in

pytestmark = pytest.mark.django_db

QUEUE = "/staff/cases/"
CHOICES = "/staff/cases/filter-choices/{}/"


def listed(response) -> set[str]:
    assert response.status_code == 200, response.content[:500]
    return {case.tracking_number for case, _flag in response.context["rows"]}


def queries(client, url, params=None) -> tuple[int, object]:
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    return len(ctx), response


def test_the_county_queue_lists_no_stations_and_its_queries_do_not_grow(
    client, flow, accounts, district
):
    flow.submit(**PHONE_CALL)
    signed_in(client, accounts.county_committee)
    few, response = queries(client, QUEUE)
    StationFactory.create_batch(40, region=district.street_a, name="加站")
    many, response = queries(client, QUEUE)
    assert few == many
    page = response.content.decode()
    assert "加站" not in page and district.station_b.name not in page
    assert 'name="station"' in page and 'list="station-choices"' in page


@pytest.mark.parametrize("how", ["code", "CODE", "name", "id"])
def test_a_station_by_code_name_or_id(client, flow, accounts, district, how):
    mine = flow.submit(**PHONE_CALL)
    flow.submit(station=district.station_b, deputy=district.dep_b, **PHONE_CALL)
    station = district.station_a
    value = {
        "code": station.public_code,
        "CODE": station.public_code.upper(),
        "name": station.name,
        "id": str(station.pk),  # the form of the dashboards' links
    }[how]
    signed_in(client, accounts.county_committee)
    response = client.get(QUEUE, {"tab": "all", "station": value})
    assert listed(response) == {mine.tracking_number}
    # The box shows the code of the station found, whatever was typed.
    assert f'value="{station.public_code}"' in response.content.decode()


def test_a_deputy_by_name(client, flow, accounts, district):
    theirs = flow.submit(station=district.station_b, deputy=district.dep_b, **PHONE_CALL)
    flow.submit(**PHONE_CALL)
    signed_in(client, accounts.county_committee)
    assert listed(client.get(QUEUE, {"tab": "all", "deputy": "王建国"})) == {theirs.tracking_number}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("no-such-code", "No such station in your scope."),
        ("西溪街道人大代表联络站", "No such station in your scope."),  # street B: not street A's
        ("双名站", "Several stations in your scope are named “双名站”: type the station's code."),
    ],
)
def test_bad_station_is_a_precise_400(client, flow, accounts, district, value, message):
    StationFactory.create_batch(2, region=district.street_a, name="双名站")
    flow.submit(**PHONE_CALL)
    signed_in(client, accounts.street_a_committee)
    client.cookies["django_language"] = "en"
    response = client.get(QUEUE, {"station": value})
    assert response.status_code == 400
    assert response.context["form"].errors["station"] == [message]
    assert list(response.context["rows"]) == []


def test_the_api_still_takes_codes_only(flow, accounts, district):
    from rest_framework.test import APIClient

    from liaison.api.keys import create_key

    _key, raw = create_key(name="test", user=accounts.county_committee, scopes=["staff"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    flow.submit(**PHONE_CALL)
    ok = api.get("/api/v1/staff/cases/", {"station": district.station_a.public_code})
    assert ok.status_code == 200
    by_name = api.get("/api/v1/staff/cases/", {"station": district.station_a.name})
    assert by_name.status_code == 400


def test_choices_are_scoped_and_capped(client, accounts, district):
    StationFactory.create_batch(MAX_CHOICES + 5, region=district.street_a, name="北山测试站")
    signed_in(client, accounts.street_a_committee)
    found = client.get(CHOICES.format("station"), {"q": "北山"}).json()["results"]
    assert len(found) == MAX_CHOICES
    assert all(row["name"] != district.station_b.name for row in found)
    # Street B's station is out of street A's scope, also by its code.
    code = district.station_b.public_code
    assert client.get(CHOICES.format("station"), {"q": code}).json() == {"results": []}
    assert client.get(CHOICES.format("station"), {"q": ""}).json() == {"results": []}
    deputies = client.get(CHOICES.format("deputy"), {"q": "张"}).json()["results"]
    assert deputies == [{"code": district.dep_a.public_code, "name": "张明华"}]
    with translation.override("en"):
        assert client.get(CHOICES.format("category"), {"q": "x"}).status_code == 404
    assert Station.objects.filter(name="北山测试站").count() == MAX_CHOICES + 5


def test_choices_need_an_account(client):
    response = client.get(CHOICES.format("station"), {"q": "北山"})
    assert response.status_code == 302
