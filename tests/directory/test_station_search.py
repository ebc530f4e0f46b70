"""The home page search: by name, region, kind and nearest first; bad parameters; pagination."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.directory import selectors
from liaison.directory.models import Station, StationKind
from tests.factories import RegionFactory, StationFactory

# The language switch sets this cookie; the browser's Accept-Language is not consulted.
EN = {"HTTP_COOKIE": "django_language=en"}


def names(response) -> list[str]:
    return [station.name for station in response.context["stations"]]


def place(station: Station, lat: str, lng: str) -> None:
    Station.objects.filter(pk=station.pk).update(latitude=Decimal(lat), longitude=Decimal(lng))


@pytest.mark.django_db
def test_home_lists_all_active_stations(client, district):
    response = client.get("/")
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(
        [district.station_a.name, district.room_a1.name, district.station_b.name]
    )
    assert response.context["count"] == 3
    assert "3 stations found" in client.get("/", **EN).content.decode()


@pytest.mark.django_db
def test_stations_url_is_the_same_search(client, district):
    response = client.get("/stations/", {"q": "西溪"})
    assert names(response) == [district.station_b.name]


@pytest.mark.django_db
def test_search_by_name(client, district):
    response = client.get("/", {"q": "保俶"})
    assert names(response) == [district.room_a1.name]
    assert 'value="保俶"' in response.content.decode()


@pytest.mark.django_db
def test_search_by_name_finds_nothing_politely(client, district):
    response = client.get("/", {"q": "不存在的站"}, **EN)
    assert response.status_code == 200
    assert names(response) == []
    assert "No station matches your search" in response.content.decode()


@pytest.mark.django_db
def test_region_includes_rooms_below_the_street_and_excludes_other_streets(client, district):
    response = client.get("/", {"region": district.street_a.code})
    assert sorted(names(response)) == sorted([district.station_a.name, district.room_a1.name])


@pytest.mark.django_db
def test_area_select_offers_one_level_of_the_tree_at_a_time(client, district):
    """The deployment starts at the county (province and city have one child each); choosing a
    street offers its communities, with a way back up; a community keeps its siblings."""
    html = client.get("/").content.decode()
    assert f'<option value="{district.county.code}" selected>' in html
    assert f'<option value="{district.street_a.code}">北山街道</option>' in html
    assert f'<option value="{district.street_b.code}">西溪街道</option>' in html
    assert district.community_a1.name not in html.split('id="region"')[1].split("</select>")[0]

    html = client.get("/", {"region": district.street_a.code}).content.decode()
    select = html.split('id="region"')[1].split("</select>")[0]
    assert f'<option value="{district.street_a.code}" selected>' in select
    assert f'<option value="{district.community_a1.code}">保俶社区</option>' in select
    assert f'<option value="{district.county.code}">' in select
    assert "西溪街道" not in select

    html = client.get("/", {"region": district.community_a1.code}).content.decode()
    select = html.split('id="region"')[1].split("</select>")[0]
    assert f'<option value="{district.community_a1.code}" selected>保俶社区</option>' in select


@pytest.mark.django_db
def test_area_select_reads_a_fixed_number_of_queries(
    client, district, django_assert_max_num_queries
):
    for n in range(30):
        RegionFactory(name=f"街道{n}", parent=district.county)
    with django_assert_max_num_queries(8):
        client.get("/", {"region": district.county.code})


@pytest.mark.django_db
def test_search_by_kind(client, district):
    response = client.get("/", {"kind": StationKind.ROOM})
    assert names(response) == [district.room_a1.name]


@pytest.mark.django_db
def test_inactive_stations_are_hidden(client, district):
    Station.objects.filter(pk=district.station_b.pk).update(is_active=False)
    response = client.get("/")
    assert district.station_b.name not in names(response)
    assert district.station_b.name not in response.content.decode()
    place(district.station_b, "30.000000", "120.000000")
    assert names(client.get("/", {"lat": "30", "lng": "120"})) == []


@pytest.mark.django_db
def test_nearby_sorts_nearest_first_and_shows_distance(client, district):
    place(district.station_a, "30.010800", "120.000000")  # 1.2 km north
    place(district.room_a1, "30.001800", "120.000000")  # 0.2 km north
    place(district.station_b, "30.045000", "120.000000")  # 5.0 km north
    response = client.get("/", {"lat": "30.0", "lng": "120.0"}, **EN)
    assert names(response) == [
        district.room_a1.name,
        district.station_a.name,
        district.station_b.name,
    ]
    html = response.content.decode()
    assert "1.2 km" in html
    assert "0.2 km" in html
    assert "5.0 km" in html
    assert "Stations nearest to you" in html


@pytest.mark.django_db
def test_nearby_leaves_out_stations_without_coordinates(client, district):
    place(district.station_a, "30.010000", "120.000000")
    response = client.get("/", {"lat": "30", "lng": "120"})
    assert names(response) == [district.station_a.name]


@pytest.mark.django_db
def test_nearby_combines_with_the_name_search(client, district):
    place(district.station_a, "30.010000", "120.000000")
    place(district.station_b, "30.020000", "120.000000")
    response = client.get("/", {"lat": "30", "lng": "120", "q": "西溪"})
    assert names(response) == [district.station_b.name]


@pytest.mark.django_db
def test_nearby_widens_the_box_until_it_finds_stations(client, district):
    place(district.station_a, "30.500000", "120.000000")  # ~56 km: outside the first ±0.1° box
    response = client.get("/", {"lat": "30", "lng": "120"}, **EN)
    assert names(response) == [district.station_a.name]
    assert "55.6 km" in response.content.decode()


@pytest.mark.django_db
def test_nearby_never_reads_beyond_the_cap(client, district):
    place(district.station_a, "30.100000", "120.000000")
    place(district.station_b, "40.000000", "120.000000")  # ~1100 km away
    response = client.get("/", {"lat": "30", "lng": "120"})
    assert names(response) == [district.station_a.name]


@pytest.mark.django_db
def test_nearby_reads_only_a_bounding_box(district):
    place(district.station_a, "30.010000", "120.000000")
    with CaptureQueriesContext(connection) as queries:
        selectors.nearest_stations(selectors.public_stations(), 30.0, 120.0)
    station_reads = [q["sql"] for q in queries.captured_queries if "directory_station" in q["sql"]]
    assert station_reads
    assert all("BETWEEN" in sql and "latitude" in sql for sql in station_reads)


@pytest.mark.django_db
def test_nearby_box_corner_does_not_hide_a_nearer_station(district):
    # The corner station lies inside the first box; the nearer one just outside its east edge.
    place(district.station_a, "30.090000", "120.103900")  # corner: ~14 km
    place(district.station_b, "30.000000", "120.125000")  # east, outside ±0.1°: ~12 km
    nearest = selectors.nearest_stations(selectors.public_stations(), 30.0, 120.0, wanted=1)
    assert nearest[0] == district.station_b
    assert nearest[0].distance_km == pytest.approx(12.04, abs=0.05)


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "abc", "lng": "120"},
        {"lat": "30"},
        {"lat": "91", "lng": "120"},
        {"lat": "30", "lng": "-181"},
        {"lat": "nan", "lng": "inf"},
    ],
)
@pytest.mark.django_db
def test_bad_location_is_ignored_with_a_notice(client, district, params):
    response = client.get("/", params, **EN)
    assert response.status_code == 200
    assert response.context["count"] == 3
    assert "We could not read your location" in response.content.decode()


@pytest.mark.parametrize("region", ["999999999999", "x" * 500, "<script>"])
@pytest.mark.django_db
def test_unknown_region_is_ignored_with_a_notice(client, district, region):
    response = client.get("/", {"region": region}, **EN)
    assert response.status_code == 200
    assert response.context["count"] == 3
    assert "We do not know that region" in response.content.decode()


@pytest.mark.django_db
def test_unknown_kind_is_ignored_with_a_notice(client, district):
    response = client.get("/", {"kind": "castle"}, **EN)
    assert response.status_code == 200
    assert response.context["count"] == 3
    assert "We do not know that kind of station" in response.content.decode()


@pytest.mark.parametrize(
    ("page", "shown", "notice"),
    [
        ("abc", 1, "That page number is not valid"),
        ("99", 2, "There is no such page"),
        ("-1", 2, "There is no such page"),
    ],
)
@pytest.mark.django_db
def test_bad_page_number_is_ignored_with_a_notice(client, district, page, shown, notice):
    StationFactory.create_batch(20, region=district.street_b)
    response = client.get("/", {"page": page}, **EN)
    assert response.status_code == 200
    assert response.context["page_obj"].number == shown
    assert notice in response.content.decode()


@pytest.mark.django_db
def test_results_are_paginated_20_per_page_and_links_keep_the_query(client, district):
    StationFactory.create_batch(25, region=district.street_b, name="西溪测试站")
    first = client.get("/", {"q": "西溪", "region": district.street_b.code}, **EN)
    assert first.context["count"] == 26
    assert len(first.context["stations"]) == 20
    html = first.content.decode()
    assert "26 stations found" in html
    next_href = f"?q=%E8%A5%BF%E6%BA%AA&amp;region={district.street_b.code}&amp;page=2"
    assert next_href in html
    second = client.get("/", {"q": "西溪", "region": district.street_b.code, "page": "2"})
    assert len(second.context["stations"]) == 6


@pytest.mark.django_db
def test_nearby_pagination_links_keep_the_location(client, district):
    for i in range(22):
        StationFactory(region=district.street_b, latitude=Decimal(f"30.{i:02d}0000"), longitude=120)
    html = client.get("/", {"lat": "30", "lng": "120"}).content.decode()
    assert "lat=30.000000&amp;lng=120.000000&amp;page=2" in html
    second = client.get("/", {"lat": "30", "lng": "120", "page": "2"})
    assert [s.distance_km for s in second.context["stations"]] == sorted(
        s.distance_km for s in second.context["stations"]
    )
    assert second.context["stations"][0].distance_km > 20


@pytest.mark.django_db
def test_home_runs_a_fixed_number_of_queries(client, district, django_assert_max_num_queries):
    StationFactory.create_batch(15, region=district.street_b)
    with django_assert_max_num_queries(8):
        client.get("/")


@pytest.mark.django_db
def test_nearby_with_no_station_around_says_so(client, district):
    place(district.station_a, "30.000000", "120.000000")
    response = client.get("/", {"lat": "-30", "lng": "-60"}, **EN)
    assert names(response) == []
    assert "We found no station near you" in response.content.decode()
