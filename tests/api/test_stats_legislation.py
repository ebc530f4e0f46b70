"""The legislative contact points' figures over the API (liaison/api/stats.py): public with counts
from 1 to 4 hidden, staff scoped and unhidden; bad periods and places refused like /stats/."""

import pytest
from django.utils import timezone

from liaison.api.keys import create_key
from liaison.legislation import services
from liaison.legislation.models import Adoption, Comment
from tests.legislation.conftest import make_draft, online_comment  # noqa: F401 (fixtures)

PUBLIC = "/api/v1/stats/legislation/"
STAFF = "/api/v1/staff/stats/legislation/"


def period() -> dict:
    today = timezone.localdate().isoformat()
    return {"start": today, "end": today}


@pytest.fixture
def opinions(make_draft, online_comment, accounts, district):  # noqa: F811
    """Seven online opinions (two adopted), one hearing of 12 people at station A."""
    draft = make_draft()
    online = [online_comment(draft, phone=f"139000000{n:02d}") for n in range(7)]
    hearing = services.enter_offline_comment(
        draft,
        actor=accounts.station_a_staff,
        article=None,
        text="座谈会上大家认为应当设置遛狗时段。",
        offline_kind="hearing",
        people=12,
        station=district.station_a,
    )
    Comment.objects.filter(pk__in=[online[0].pk, online[1].pk]).update(adoption=Adoption.ADOPTED)
    return draft, online, hearing


@pytest.fixture
def as_user(api):
    def sign_in(user):
        _key, raw = create_key(name="test", user=user, scopes=["staff"])
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
        return api

    return sign_in


def test_public_figures_hide_small_counts(api, opinions, district):
    response = api.get(PUBLIC, period())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == {
        "comments": 8,
        "online": 7,
        "offline": None,  # 1: fewer than 5
        "people_offline": 12,
        "adopted": None,  # 2
    }
    stations = {line["code"]: line for line in body["stations"]}
    assert stations[""]["online"] == 7  # the online opinions not entered at a station
    assert stations[district.station_a.code]["people_offline"] == 12
    regions = {line["code"]: line for line in body["regions"]}
    assert regions[district.county.code]["comments"] == 7
    assert "13900000000" not in response.content.decode()
    assert "遛狗" not in response.content.decode()  # counts only, never the text


def test_the_place_narrows_the_public_figures(api, opinions, district):
    body = api.get(PUBLIC, {**period(), "station": district.station_a.code}).json()
    assert body["total"]["comments"] is None and body["total"]["people_offline"] == 12
    assert [line["code"] for line in body["stations"]] == [district.station_a.code]


def test_staff_figures_are_unhidden_and_scoped(as_user, accounts, opinions, district):
    api = as_user(accounts.county_committee)
    body = api.get(STAFF, period()).json()
    assert (body["total"]["offline"], body["total"]["adopted"]) == (1, 2)
    street_b = api.get(STAFF, {**period(), "region": district.street_b.code})
    assert street_b.status_code == 200 and street_b.json()["total"]["comments"] == 0
    narrow = as_user(accounts.street_a_committee)
    refused = narrow.get(STAFF, {**period(), "region": district.street_b.code})
    assert refused.status_code == 403


def test_staff_figures_need_an_account(api, opinions):
    assert api.get(STAFF, period()).status_code in (401, 403)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "start"),
        ({"start": "2026-01-01"}, "end"),
        ({"start": "2026-02-01", "end": "2026-01-01"}, "start"),
        ({"start": "nope", "end": "2026-01-01"}, "start"),
    ],
)
def test_a_bad_period_is_a_400_naming_the_parameter(api, db, query, field):
    response = api.get(PUBLIC, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


def test_an_unknown_place_is_a_404(api, db):
    response = api.get(PUBLIC, {**period(), "region": "999999999999"})
    assert response.status_code == 404


def test_the_schema_describes_the_figures(api, db):
    schema = api.get("/api/v1/openapi.json").json()
    body = schema["paths"][PUBLIC]["get"]["responses"]["200"]["content"]["application/json"]
    name = body["schema"]["$ref"].rsplit("/", 1)[1]
    fields = schema["components"]["schemas"][name]["properties"]
    assert set(fields) == {"start", "end", "total", "stations", "regions"}


@pytest.mark.parametrize("url", ["/api/v1/stats/", PUBLIC])
def test_days_out_of_the_counted_range_are_a_400(api, db, url):
    """Found by schemathesis: a period near year 1 overflowed the date arithmetic (a 500)."""
    response = api.get(url, {"start": "0001-01-01", "end": "0010-02-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "between 2000-01-01 and 2099-12-31" in response.json()["error"]["message"]
