"""No input gives a 500 (issue 15): every URL the resolver knows is probed with a NUL character in
the query string and in form, multipart and JSON bodies, and answers 400 in its surface's format
without touching the database. PostgreSQL is what turns a NUL into a 500; SQLite accepts it, so
the test asks for the 400 the guard answers before any query."""

import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize

from liaison.core.inputs import ascii_digits, ascii_int


def _walk(patterns, prefix=""):
    for entry in patterns:
        regex = prefix + entry.pattern.regex.pattern.lstrip("^").removesuffix("\\Z")
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, regex)
        elif isinstance(entry, URLPattern):
            yield regex


def every_url() -> list[str]:
    """One concrete URL per pattern of the root URLconf, its parameters filled with "1" (Open311's
    format with "json")."""
    urls = set()
    for regex in _walk(get_resolver().url_patterns):
        text, params = normalize(regex.removesuffix("$"))[0]
        values = {name: "json" if name == "fmt" else "1" for name in params}
        urls.add("/" + text % values)
    return sorted(urls)


URLS = every_url()


def table_sizes() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_every_surface_is_in_the_list():
    """Public pages, staff pages, the API, Open311 and the admin are all probed."""
    for expected in [
        "/",
        "/staff/cases/",
        "/api/v1/stations/",
        "/api/v1/staff/cases/1/actions/accept/",
        "/api/v1/appointments/1",
        "/open311/v2/requests.json",
        "/admin/",
    ]:
        assert expected in URLS, expected
    assert len(URLS) > 150


@pytest.fixture
def admin_client(accounts):
    """Signed in as an administrator, so that without the guard every view would really run."""
    client = Client()
    client.force_login(accounts.administrator)
    return client


def assert_refused(response, url):
    assert response.status_code == 400, (url, response.status_code, response.content[:300])
    if url.startswith("/api/"):
        body = response.json()
        assert body["status"] == 400 and body["error"]["code"] == "invalid", url
        assert body["type"] and body["title"] and body["detail"], url
    elif url.startswith("/open311/"):
        assert b"NUL" in response.content, url


@pytest.mark.django_db
def test_nul_in_a_query_parameter_is_400_everywhere(admin_client):
    before = table_sizes()
    for url in URLS:
        assert_refused(admin_client.get(url, {"q": "路灯\x00", "page": "1"}), url)
        assert_refused(admin_client.get(f"{url}?station=%00"), url)
    assert table_sizes() == before


@pytest.mark.django_db
def test_nul_in_a_body_is_400_everywhere(admin_client):
    before = table_sizes()
    for url in URLS:
        form = {"title": "路灯", "description": "坏了\x00", "phone": "13800138000"}
        assert_refused(admin_client.post(url, form), url)  # multipart
        encoded = "title=%E8%B7%AF&note=x%00y"
        assert_refused(
            admin_client.post(url, encoded, content_type="application/x-www-form-urlencoded"), url
        )
        body = json.dumps({"note": "x\x00y", "ids": [1]})
        assert "\\u0000" in body
        assert_refused(admin_client.post(url, body, content_type="application/json"), url)
        assert_refused(admin_client.put(url, body, content_type="application/json"), url)
    assert table_sizes() == before


def test_nul_message_is_in_the_language_of_the_surface(client, db):
    page = client.get("/", {"q": "\x00"})
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert '<html lang="zh-Hans">' in page.content.decode()
    api = client.get("/api/v1/stations/", {"q": "\x00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert api.json()["error"]["field"] == "q"
    assert "NUL" in api.json()["detail"] and api["Content-Language"] == "en"
    xml = client.get("/open311/v2/services.xml", {"jurisdiction_id": "\x00"})
    assert xml.status_code == 400 and xml["Content-Type"].startswith("text/xml")
    assert b"<errors><error><code>400</code>" in xml.content


def test_an_escaped_backslash_before_u0000_is_not_a_nul(client, db):
    """The JSON text "\\\\u0000" is a backslash and "u0000", which is harmless."""
    body = json.dumps({"q": "\\u0000"})
    response = client.post("/api/v1/me/notifications/read/", body, content_type="application/json")
    assert response.status_code == 401  # reached the view: the guard let it through


def test_nul_in_a_cookie_is_400(client, db):
    """A quoted cookie may spell NUL in octal ("\\000"); the session key is looked up."""
    client.cookies["sessionid"] = "abcdefgh\x00ijk"
    assert client.get("/").status_code == 400


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("²", None),
        ("١", None),
        ("５", None),
        ("-1", None),
        (" 1", None),
        ("", None),
        (None, None),
        ("9" * 19, None),
        (7, 7),
    ],
)
def test_ascii_int_takes_ascii_digits_only(value, expected):
    assert ascii_int(value) == expected


def test_ascii_digits_drops_other_digits():
    assert ascii_digits("138²0013 8000５") == "13800138000"


@pytest.mark.django_db
@pytest.mark.parametrize("digit", ["²", "١", "５", "9" * 30])
def test_other_digits_in_numeric_parameters_are_not_a_500(admin_client, digit):
    """`str.isdigit()` takes "²", `int()` does not (and reads "５" as 5): every such parameter is
    parsed by `ascii_int`, which takes ASCII digits only."""
    pages = [
        f"/staff/records/entries/new/?deputy={digit}",
        f"/staff/receptions/days/?station={digit}",
        f"/staff/receptions/days/rules/new/?station={digit}",
        f"/staff/receptions/new/?appointment={digit}",
        f"/staff/outbox/?q={digit * 4}",
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code in (200, 302, 400, 403), (url, response.status_code)
    posted = admin_client.post("/staff/outbox/retry/", {"page": digit})
    assert posted.status_code in (302, 400), posted.status_code
    assert posted.status_code == 400 or f"page={digit}" not in posted.get("Location", "")
    registered = admin_client.post(f"/staff/receptions/new/?appointment={digit}", {})
    assert registered.status_code < 500
