"""The staff dashboard and the public page over HTTP: scope, bad input, small counts, queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.stats import rollup

DASHBOARD = "/staff/stats/"
PUBLIC = "/stats/"


def received(page: str) -> str:
    """The number in the "Messages received" cell of the intake table."""
    marker = 'data-metric="received">'
    start = page.index(marker) + len(marker)
    return re.sub(r"<[^>]+>", "", page[start : page.index("</td>", start)])


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def test_a_committee_sees_the_figures_of_its_region(client, accounts, counted):
    client.force_login(accounts.county_committee)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    page = response.content.decode()
    assert received(page) == "3"
    assert 'id="table-departments"' in page and 'id="table-steps"' in page


def test_a_county_committee_may_narrow_to_a_street(client, accounts, district, counted):
    client.force_login(accounts.county_committee)
    page = client.get(DASHBOARD, {"region": district.street_b.code}).content.decode()
    assert received(page) == "1"
    page = client.get(DASHBOARD, {"station": district.station_a.code}).content.decode()
    assert received(page) == "2"


def test_a_street_committee_cannot_read_another_streets_figures(
    client, accounts, district, counted
):
    client.force_login(accounts.street_a_committee)
    assert received(client.get(DASHBOARD).content.decode()) == "2"
    for query in (
        {"region": district.street_b.code},
        {"region": district.county.code},
        {"station": district.station_b.code},
    ):
        response = client.get(DASHBOARD, query)
        assert response.status_code == 403, query
        assert "outside your scope" in response.content.decode()
        assert 'data-metric="received"' not in response.content.decode()


def test_station_staff_and_deputies_see_their_own(client, accounts, counted):
    client.force_login(accounts.station_b_staff)
    assert received(client.get(DASHBOARD).content.decode()) == "1"
    client.force_login(accounts.deputy_a)
    assert received(client.get(DASHBOARD).content.decode()) == "2"


def test_a_department_sees_its_assignments_only(client, accounts, counted):
    client.force_login(accounts.handler_a)
    page = client.get(DASHBOARD).content.decode()
    assert received(page) == "0"  # received before any assignment: not the department's
    assert re.search(r'data-metric="assigned"><a [^>]*>1</a>', page)


def test_anonymous_visitors_are_sent_to_login(client, counted):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-05-01", "end": "2026-04-01"}, "comes after the last day"),
        ({"start": "2010-01-01", "end": "2026-04-01"}, "at most 10 years"),
        ({"start": "2026-01-01"}, "Give both"),
        ({"start": "yesterday", "end": "2026-04-01"}, "valid date"),
        ({"region": "999999999999"}, "no region with this division code"),
        ({"station": "nope"}, "no station with this number"),
        ({"region": "x" * 40}, "at most 12 characters"),
    ],
)
@pytest.mark.parametrize("url", [DASHBOARD, PUBLIC])
def test_bad_input_gets_a_precise_message(client, accounts, counted, url, query, message):
    client.force_login(accounts.county_committee)
    response = client.get(url, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'data-metric="received"' not in page


def test_the_public_page_hides_small_counts(client, flow, counted):
    page = client.get(PUBLIC).content.decode()
    assert received(page) == "&lt;5"
    for _ in range(3):
        flow.submit()
    rollup.update()
    assert received(client.get(PUBLIC).content.decode()) == "6"


def test_the_public_page_names_no_citizen_and_shows_departments(client, district, counted):
    page = client.get(PUBLIC).content.decode()
    assert "陈女士" not in page and "13912345678" not in page
    assert district.department_a.name in page


def test_linked_from_the_home_page_and_the_staff_header(client, accounts, district):
    assert f'id="home-stats" href="{PUBLIC}"' in client.get("/").content.decode()
    client.force_login(accounts.county_committee)
    page = client.get(DASHBOARD).content.decode()
    assert f'<li id="nav-stats"><a href="{DASHBOARD}" aria-current="page">' in page


def _queries(client) -> int:
    client.get("/staff/")  # the unread badge's count, kept after a first page
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DASHBOARD).status_code == 200
    return len(captured)


def test_the_dashboard_queries_do_not_grow_with_the_data(client, accounts, flow, district):
    client.force_login(accounts.county_committee)
    flow.to("closed")
    rollup.update()
    few = _queries(client)
    for status in ("closed", "rejected", "in_progress", "withdrawn"):
        flow.to(status)
    flow.submit(station=district.station_b, deputy=district.dep_b)
    rollup.update()
    assert _queries(client) == few
