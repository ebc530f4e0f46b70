"""The visit list's filters (receptions/forms.VisitFilter): period, station, region, search and
order; the export takes the same filters; a station or region outside the scope, or an
inverted range, is a 400 with the reason and shows nothing. The statistics' visitor count links
here with its period (stats/links.py)."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from .support import NEW, signed_in, visit_form

pytestmark = pytest.mark.django_db
LIST = "/staff/receptions/"


@pytest.fixture
def visits(client, district, accounts):
    """Three visits: two at station A (September and October), one at station B (October)."""
    signed_in(client, accounts.station_a_staff)
    for day, name in (("2025-09-22", "陈女士"), ("2025-10-08", "周先生")):
        assert (
            client.post(NEW, visit_form(district, received_on=day, visitor_name=name)).status_code
            == 302
        )
    signed_in(client, accounts.station_b_staff)
    form = visit_form(
        district,
        station=district.station_b.pk,
        deputies=[district.dep_b.pk],
        received_on="2025-10-09",
        visitor_name="吴阿姨",
        visitor_phone="13800001111",
    )
    assert client.post(NEW, form).status_code == 302
    client.logout()


def names(response) -> list[str]:
    assert response.status_code == 200, response.content.decode()[:500]
    return [visit.visitor_name for visit in response.context["page_obj"]]


def test_period_station_region_search_and_order(client, accounts, district, visits):
    signed_in(client, accounts.county_committee)
    assert names(client.get(LIST)) == ["吴阿姨", "周先生", "陈女士"]
    october = {"received_from": "2025-10-01", "received_to": "2025-10-31"}
    assert names(client.get(LIST, october)) == ["吴阿姨", "周先生"]
    assert names(client.get(LIST, {**october, "station": district.station_a.pk})) == ["周先生"]
    assert names(client.get(LIST, {"region": district.street_b.code})) == ["吴阿姨"]
    assert names(client.get(LIST, {"q": "1111"})) == ["吴阿姨"]
    assert names(client.get(LIST, {"q": "陈"})) == ["陈女士"]
    assert names(client.get(LIST, {"sort": "received"})) == ["陈女士", "周先生", "吴阿姨"]
    page = client.get(LIST, october).content.decode()
    assert "received_from=2025-10-01" in page  # kept for the export and the next page


@pytest.mark.parametrize(
    "params, field, message",
    [
        (
            {"received_from": "2025-10-31", "received_to": "2025-10-01"},
            "received_to",
            "The end of the date range is before its start.",
        ),
        ({"region": "330106002000"}, "region", "No such region in your scope."),
        ({"station": "station_b"}, "station", "No such station in your scope."),
        ({"received_from": "0001-01-01"}, "received_from", "Choose a day between"),
    ],
)
def test_bad_filters_are_400_with_the_reason(
    client, accounts, district, visits, params, field, message
):
    signed_in(client, accounts.street_a_committee)
    if params.get("station") == "station_b":
        params = {"station": district.station_b.pk}
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert list(response.context["page_obj"]) == []


def test_the_export_follows_the_filters(client, accounts, district, visits):
    signed_in(client, accounts.county_committee)
    response = client.post(
        f"/staff/exports/visits/?received_from=2025-10-01&station={district.station_a.pk}",
        {"format": "xlsx"},
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == ["周先生"]
    refused = client.post("/staff/exports/visits/?received_from=nonsense", {"format": "csv"})
    assert refused.status_code == 400


def test_the_statistics_visitor_count_links_to_its_period(accounts, district):
    from liaison.stats.links import for_viewer

    links = for_viewer(
        accounts.county_committee, date(2025, 10, 1), date(2025, 10, 31), district.street_a, None
    )
    url = links.visits()
    assert url.startswith(LIST + "?")
    assert "received_from=2025-10-01" in url and "received_to=2025-10-31" in url
    assert f"region={district.street_a.code}" in url
