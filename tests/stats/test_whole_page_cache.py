"""The statistics pages served whole from the cache (core/public_pages.py, stats/views.py): a
warm page costs the session, the account, the rollups' marks and the unread badge; what changes
per request (the CSRF token, the unread badge) is filled in each time; a written report, a
rollup run, a message waiting and another viewer each get what is theirs."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test.utils import CaptureQueriesContext

from liaison.accounts.models import Role
from liaison.notifications import services as notices
from liaison.stats import reports, rollup
from liaison.stats.models import StatsReport
from tests.factories import UserFactory
from tests.stats.test_pages import DASHBOARD, PUBLIC, received


@pytest.fixture(autouse=True)
def _whole_pages_on(settings, client):
    settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS = 60
    settings.LIAISON_STATS_CACHE_SECONDS = 300
    client.cookies["django_language"] = "en"


def _get(client, path, query=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, query or {})
    assert response.status_code == 200
    return response.content.decode(), queries.captured_queries


def test_a_warm_page_is_served_whole(client, accounts, counted):
    client.force_login(accounts.county_committee)
    first, cold = _get(client, DASHBOARD)
    second, queries = _get(client, DASHBOARD)
    cold, warm = len(cold), len(queries)
    assert received(second) == received(first) == "3"
    # The session, the account, its second factor, the marks, the unread badge — nothing of
    # the figures.
    assert warm <= 5, [q["sql"][:60] for q in queries]
    assert warm < cold / 4, (cold, warm)
    assert "{csrf-token}" not in second and "{unread-badge}" not in second
    assert 'name="csrfmiddlewaretoken" value="' in second


def test_the_unread_badge_is_always_current(client, accounts, counted):
    viewer = accounts.county_committee
    client.force_login(viewer)
    page, _n = _get(client, DASHBOARD)
    assert 'id="unread-badge"' not in page
    notices.tell_accounts([viewer], "test.notice", "A notice", "Read me")
    page, _n = _get(client, DASHBOARD)
    assert 'id="unread-badge">1<' in page


def test_a_rollup_run_shows_at_once(client, accounts, flow, district, counted):
    client.force_login(accounts.county_committee)
    assert received(_get(client, DASHBOARD)[0]) == "3"
    flow.submit(station=district.station_b, deputy=district.dep_b)
    rollup.update()
    assert received(_get(client, DASHBOARD)[0]) == "4"


def test_a_written_report_is_listed_at_once(client, accounts, district, counted):
    client.force_login(accounts.county_committee)
    page, _n = _get(client, DASHBOARD)
    assert "2026" not in page.split('id="reports"')[1]
    StatsReport.objects.create(
        region=district.county, period="year", start="2026-01-01", end="2026-12-31"
    )
    assert reports.run_waiting(10, lambda: False) == 1
    page, _n = _get(client, DASHBOARD)
    assert "2026" in page.split('id="reports"')[1]


def test_each_viewer_and_scope_gets_their_own_page(client, accounts, district, counted):
    colleague = UserFactory(username="colleague", role=Role.COMMITTEE_STAFF, region=district.county)
    client.force_login(accounts.county_committee)
    assert received(_get(client, DASHBOARD)[0]) == "3"
    client.force_login(accounts.street_a_committee)
    assert received(_get(client, DASHBOARD)[0]) == "2"
    client.force_login(colleague)
    assert received(_get(client, DASHBOARD)[0]) == "3"
    # Moved to a street: the same account, another scope, another page.
    colleague.region = district.street_b
    colleague.save()
    assert received(_get(client, DASHBOARD)[0]) == "1"


def test_a_waiting_message_is_shown_not_skipped(client, accounts, counted):
    client.force_login(accounts.county_committee)
    _get(client, DASHBOARD)
    # What an action elsewhere leaves for the next page (a message in the cookie).
    storage, response = CookieStorage(HttpRequest()), HttpResponse()
    storage._store([Message(constants.SUCCESS, "The thing was saved.")], response)
    client.cookies["messages"] = response.cookies["messages"].value
    page, _n = _get(client, DASHBOARD)
    assert "The thing was saved." in page
    assert received(page) == "3"


def test_the_public_page_is_kept_per_query(client, district, counted):
    whole, _n = _get(client, PUBLIC)
    street, _n = _get(client, PUBLIC, {"region": district.street_b.code})
    assert whole != street
    again, queries = _get(client, PUBLIC, {"region": district.street_b.code})
    assert _without_token(again) == _without_token(street)
    assert len(queries) <= 1, [q["sql"][:60] for q in queries]  # the marks
    assert client.get(PUBLIC, {"region": "nowhere"}).status_code == 400


def _without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page)
