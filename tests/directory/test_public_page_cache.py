"""A deputy's and a station's public page come from the cache for anonymous visitors
(core/public_pages.py): without queries, with the visitor's own CSRF token, and never stale after
the directory changes through its services."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from liaison.core.context_processors import DISPLAY_COOKIE
from liaison.core.public_pages import CSRF_PLACEHOLDER
from liaison.directory import services

EN = {"HTTP_COOKIE": "django_language=en"}


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS = 60


def _queries(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["deputy", "station"])
def test_a_second_visitor_gets_the_page_without_a_query(client, district, page):
    url = (district.dep_a if page == "deputy" else district.station_a).get_absolute_url()
    first, html = _queries(client, url)
    again, html_again = _queries(Client(), url)
    assert first > 0
    assert again == 0
    assert html_again.replace(_token(html_again), "") == html.replace(_token(html), "")


def _token(html: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


@pytest.mark.django_db
def test_the_cached_page_carries_the_visitors_own_working_token(district):
    url = district.dep_a.get_absolute_url()
    Client().get(url)  # cached by someone else
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get(url).content.decode()
    assert CSRF_PLACEHOLDER not in html
    token = _token(html)
    assert len(token) == 64
    response = visitor.post(
        "/display/", {"option": "large", "next": url, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert "large" in response.cookies[DISPLAY_COOKIE].value
    refused = Client(enforce_csrf_checks=True).post(
        "/display/", {"option": "large", "next": url, "csrfmiddlewaretoken": CSRF_PLACEHOLDER}
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_an_edit_through_the_directory_shows_at_once(client, district, accounts):
    deputy = district.dep_a
    assert "张明华" in client.get(deputy.get_absolute_url()).content.decode()
    deputy.name = "张明华二"
    services.save_entry(deputy, actor=accounts.administrator, changed_fields=["name"])
    assert "张明华二" in client.get(deputy.get_absolute_url()).content.decode()
    services.set_active(deputy, False, actor=accounts.administrator)
    assert client.get(deputy.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_station_page_follows_its_deputies(client, district, accounts):
    station = district.station_b
    assert district.dep_a.name not in client.get(station.get_absolute_url()).content.decode()
    services.set_deputy_stations(
        district.dep_a, [district.station_a, station], actor=accounts.administrator
    )
    assert district.dep_a.name in client.get(station.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_language_and_display_options_have_their_own_pages(client, district):
    url = district.dep_a.get_absolute_url()
    assert 'lang="zh-Hans"' in client.get(url).content.decode()
    assert 'lang="en"' in client.get(url, **EN).content.decode()
    large = client.get(url, HTTP_COOKIE=f"{DISPLAY_COOKIE}=large").content.decode()
    assert 'class="large-type"' in large
    assert 'class="large-type"' not in client.get(url).content.decode()


@pytest.mark.django_db
def test_staff_and_query_strings_get_the_page_built(client, district, accounts):
    url = district.dep_a.get_absolute_url()
    client.get(url)
    staff = Client()
    staff.force_login(accounts.station_a_staff)
    html = staff.get(url).content.decode()
    assert 'action="/accounts/logout/"' in html
    made_up, _html = _queries(Client(), url + "?x=1")
    assert made_up > 0


@pytest.mark.django_db
def test_turned_off_every_visitor_gets_it_built(client, district, settings):
    settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS = 0
    url = district.dep_a.get_absolute_url()
    client.get(url)
    again, _html = _queries(Client(), url)
    assert again > 0


@pytest.mark.django_db
def test_an_unknown_code_is_still_a_404(client, district):
    assert client.get("/d/nosuchcode/").status_code == 404
    assert client.get("/d/nosuchcode/").status_code == 404
