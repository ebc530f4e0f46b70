"""The public directory endpoints: no login, active rows only, public fields only."""

import pytest

from liaison.directory import services
from liaison.directory.models import DeputyLevel, StationKind
from tests.factories import DeputyFactory, StationFactory

PERSONAL = {"phone_full", "mobile", "id_number", "email", "password", "user", "account"}


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_regions_filter_by_parent_and_level(api, district):
    everything = results(api.get("/api/v1/regions/"))
    assert {r["code"] for r in everything} >= {district.county.code, district.street_a.code}
    children = results(api.get("/api/v1/regions/", {"parent": district.county.code}))
    assert {r["code"] for r in children} == {district.street_a.code, district.street_b.code}
    assert all(r["parent"] == district.county.code for r in children)
    communities = results(api.get("/api/v1/regions/", {"level": 5}))
    assert [r["code"] for r in communities] == [district.community_a1.code]


def test_stations_filters(api, district):
    StationFactory(name="关闭的联络站", region=district.street_a, is_active=False)
    names = {s["name"] for s in results(api.get("/api/v1/stations/"))}
    assert names == {district.station_a.name, district.room_a1.name, district.station_b.name}
    subtree = results(api.get("/api/v1/stations/", {"region": district.street_a.code}))
    assert {s["public_code"] for s in subtree} == {
        district.station_a.public_code,
        district.room_a1.public_code,
    }
    rooms = results(api.get("/api/v1/stations/", {"kind": StationKind.ROOM}))
    assert [s["public_code"] for s in rooms] == [district.room_a1.public_code]
    found = results(api.get("/api/v1/stations/", {"q": "西溪"}))
    assert [s["public_code"] for s in found] == [district.station_b.public_code]


def test_station_detail_and_inactive_is_404(api, district):
    body = api.get(f"/api/v1/stations/{district.station_a.public_code}/").json()
    assert body["name"] == district.station_a.name and "rules" in body
    assert body["url"].endswith(district.station_a.get_absolute_url())
    hidden = StationFactory(region=district.street_a, is_active=False)
    response = api.get(f"/api/v1/stations/{hidden.public_code}/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_deputies_filters_and_public_fields(api, district):
    DeputyFactory(name="已离任代表", region=district.street_a, is_active=False)
    everyone = results(api.get("/api/v1/deputies/"))
    assert {d["name"] for d in everyone} == {"张明华", "李秀英", "王建国"}
    in_b = results(api.get("/api/v1/deputies/", {"station": district.station_b.public_code}))
    assert {d["name"] for d in in_b} == {"李秀英", "王建国"}
    shared = next(d for d in everyone if d["name"] == "李秀英")
    assert set(shared["stations"]) == {
        district.station_a.public_code,
        district.station_b.public_code,
    }
    assert "public_phone" in shared and "code" not in shared
    assert not PERSONAL & set(shared)
    level = district.dep_a.level
    assert "张明华" in {d["name"] for d in results(api.get("/api/v1/deputies/", {"level": level}))}
    assert [d["name"] for d in results(api.get("/api/v1/deputies/", {"q": "建国"}))] == ["王建国"]


def test_deputy_detail(api, district):
    body = api.get(f"/api/v1/deputies/{district.dep_a.public_code}/").json()
    assert body["name"] == "张明华" and body["stations"] == [district.station_a.public_code]


def test_departments_and_categories(api, district):
    departments = results(api.get("/api/v1/departments/"))
    assert {d["code"] for d in departments} == {
        district.department_county.code,
        district.department_a.code,
        district.department_b.code,
    }
    categories = results(api.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="en"))
    assert categories == [
        {
            "code": "roads",
            "name": "道路交通",
            "name_en": "Roads and traffic",
            "display_name": "Roads and traffic",
            "handling_days": district.category.handling_days,
        }
    ]


def test_no_personal_data_of_accounts_anywhere(api, accounts):
    accounts.station_a_staff.phone = "13912345678"
    accounts.station_a_staff.save(update_fields=["phone"])
    for url in ["/api/v1/stations/", "/api/v1/deputies/", "/api/v1/departments/"]:
        assert "13912345678" not in api.get(url).content.decode()
        assert "station_a" not in api.get(url).content.decode()


def test_pagination_and_page_size_cap(api, district):
    for i in range(25):
        StationFactory(name=f"站{i:02}", region=district.street_b)
    first = api.get("/api/v1/stations/").json()
    assert first["count"] == 28 and len(first["results"]) == 20 and first["next"]
    second = api.get("/api/v1/stations/", {"page": 2}).json()
    assert len(second["results"]) == 8 and second["previous"]
    big = api.get("/api/v1/stations/", {"page_size": 1000}).json()
    assert len(big["results"]) == 28
    with_cap = api.get("/api/v1/stations/", {"page_size": 5}).json()
    assert len(with_cap["results"]) == 5
    assert api.get("/api/v1/stations/", {"page": 99}).status_code == 404


def test_page_size_never_above_100(api, district):
    for i in range(101):
        StationFactory(name=f"站{i:03}", region=district.street_b, code=f"S{i:03}")
    assert len(api.get("/api/v1/stations/", {"page_size": 500}).json()["results"]) == 100


def test_ordering(api, district):
    names = [s["name"] for s in results(api.get("/api/v1/stations/", {"ordering": "-name"}))]
    assert names == sorted(names, reverse=True)
    levels = [d["level"] for d in results(api.get("/api/v1/deputies/", {"ordering": "-level"}))]
    assert levels == sorted(levels, reverse=True)


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/stations/", {"kind": "castle"}, "kind"),
        ("/api/v1/regions/", {"level": "9"}, "level"),
        ("/api/v1/deputies/", {"level": str(max(DeputyLevel.values) + 1)}, "level"),
    ],
)
def test_bad_filters_are_400_with_the_field(api, district, url, params, field):
    response = api.get(url, params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["field"] == field


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/stations/", {"region": "999"}),
        ("/api/v1/regions/", {"parent": "nope"}),
        ("/api/v1/deputies/", {"station": "nope"}),
    ],
)
def test_unknown_codes_match_nothing(api, district, url, params):
    assert results(api.get(url, params)) == []


def test_inactive_station_lists_no_deputies(api, district):
    district.station_b.is_active = False
    district.station_b.save(update_fields=["is_active"])
    params = {"station": district.station_b.public_code}
    assert results(api.get("/api/v1/deputies/", params)) == []


def test_list_query_count_does_not_grow_with_rows(api, district, django_assert_max_num_queries):
    for i in range(10):
        DeputyFactory(name=f"代表{i}", region=district.street_a, stations=[district.station_a])
    with django_assert_max_num_queries(4):
        api.get("/api/v1/deputies/")
    with django_assert_max_num_queries(4):
        api.get("/api/v1/stations/")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/stations/?region=33%00",
        "/api/v1/stations/?q=%00",
        "/api/v1/regions/?parent=%00",
        "/api/v1/deputies/?station=a%00b",
        "/api/v1/stations/a%00b/",
        "/api/v1/deputies/a%00b/",
    ],
)
def test_nul_characters_never_reach_the_database(api, district, url):
    # PostgreSQL refuses NUL in text: found by schemathesis as a 500. Refused before any query.
    response = api.get(url)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_deputies_covering_an_address(api, district):
    """找代表 — the deputies whose constituency contains a region, at every level."""
    services.set_deputy_constituency(district.dep_a, [district.community_a1], actor=None)
    services.set_deputy_constituency(district.dep_shared, [district.county], actor=None)
    services.set_deputy_constituency(district.dep_b, [district.street_b], actor=None)
    found = results(api.get("/api/v1/deputies/", {"covering": district.community_a1.code}))
    assert {d["name"] for d in found} == {"张明华", "李秀英"}
    shared = next(d for d in found if d["name"] == "李秀英")
    assert shared["constituency_regions"] == [district.county.code]
    street = results(api.get("/api/v1/deputies/", {"covering": district.street_a.code}))
    assert [d["name"] for d in street] == ["李秀英"]
    assert results(api.get("/api/v1/deputies/", {"covering": "999999999999"})) == []


def test_covering_is_in_the_schema(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    parameters = schema["paths"]["/api/v1/deputies/"]["get"]["parameters"]
    assert "covering" in {p["name"] for p in parameters}
