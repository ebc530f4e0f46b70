"""The statistics pages' cache (liaison/stats/cache.py): a warm page asks the database far
less, a rollup run that counts new events shows them at once, and one scope's figures are never
served to another viewer whose scope differs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.accounts.models import Role
from liaison.stats import rollup
from liaison.stats.models import RegionFigure
from tests.factories import UserFactory
from tests.stats.test_pages import DASHBOARD, PUBLIC, received


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def _queries(client, path, query=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, query or {})
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_a_warm_page_reads_little_and_shows_the_same(client, accounts, counted):
    client.force_login(accounts.county_committee)
    cold, first = _queries(client, DASHBOARD)
    warm, second = _queries(client, DASHBOARD)
    assert received(first) == received(second) == "3"
    assert warm < cold / 2, (cold, warm)
    cold, first = _queries(client, PUBLIC)
    warm, second = _queries(client, PUBLIC)
    assert received(first) == received(second) == "&lt;5"  # small counts hidden
    assert warm < cold / 2, (cold, warm)


def test_a_rollup_run_changes_the_key(client, accounts, flow, district, counted):
    client.force_login(accounts.county_committee)
    assert received(client.get(DASHBOARD).content.decode()) == "3"
    flow.submit(station=district.station_b, deputy=district.dep_b)
    # Not counted yet: the rollup has not moved, the page is what the rollup says.
    assert received(client.get(DASHBOARD).content.decode()) == "3"
    rollup.update()
    assert received(client.get(DASHBOARD).content.decode()) == "4"


def test_one_scope_is_never_served_to_another(client, accounts, district, counted):
    """The same URL asked by viewers of different scopes, each after the other has warmed it."""
    street_b_committee = UserFactory(
        username="street_b", role=Role.COMMITTEE_STAFF, region=district.street_b
    )
    for account, expected in [
        (accounts.county_committee, "3"),
        (accounts.street_a_committee, "2"),
        (street_b_committee, "1"),
        (accounts.station_b_staff, "1"),
        (accounts.deputy_a, "2"),
        (accounts.county_committee, "3"),
    ]:
        client.force_login(account)
        assert received(client.get(DASHBOARD).content.decode()) == expected, account
    # The public page of a street is not a staff page of it, nor the other way round.
    client.logout()
    query = {"region": district.street_a.code}
    assert received(client.get(PUBLIC, query).content.decode()) == "&lt;5"
    client.force_login(street_b_committee)
    assert client.get(DASHBOARD, query).status_code == 403


def test_committee_pages_read_the_coarse_rows(client, accounts, counted):
    """The county's dashboard is counted from its RegionFigure rows: without them it shows 0."""
    RegionFigure.objects.all().delete()
    client.force_login(accounts.county_committee)
    assert received(client.get(DASHBOARD).content.decode()) == "0"
    client.force_login(accounts.station_b_staff)  # the fine rows
    assert received(client.get(DASHBOARD).content.decode()) == "1"


def _rendered(response) -> set[str]:
    return {template.name for template in response.templates}


def test_a_warm_page_does_not_render_its_figures_again(client, accounts, counted, settings):
    client.force_login(accounts.county_committee)
    assert "stats/_figures.html" in _rendered(client.get(DASHBOARD))
    warm = client.get(DASHBOARD)
    assert "stats/_figures.html" not in _rendered(warm)
    assert received(warm.content.decode()) == "3"
    # Another period is another set of figures, rendered for itself.
    other = client.get(DASHBOARD, {"start": "2020-01-01", "end": "2020-12-31"})
    assert "stats/_figures.html" in _rendered(other)
    assert received(other.content.decode()) == "0"
    # Switched off, every request renders them.
    settings.LIAISON_STATS_CACHE_SECONDS = 0
    assert "stats/_figures.html" in _rendered(client.get(DASHBOARD))
    assert "stats/_figures.html" in _rendered(client.get(DASHBOARD))


def test_rendered_figures_follow_the_language(client, accounts, counted):
    client.force_login(accounts.county_committee)
    english = client.get(DASHBOARD).content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(DASHBOARD).content.decode()
    assert "Messages received and what became of them at review" in english
    assert "Messages received and what became of them at review" not in chinese
    assert "stats/_figures.html" not in _rendered(client.get(DASHBOARD))
