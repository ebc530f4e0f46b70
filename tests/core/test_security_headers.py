"""Content-Security-Policy and Permissions-Policy (issue 15): on every HTML page, enforced, with no
inline script or style allowed; the Swagger UI page alone may use inline styles. Templates hold no
inline script, style block, style attribute or event-handler attribute that the policy would
block (the browser tests, tests/e2e, fail on any violation a page reports)."""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import liaison

TEMPLATE_ROOT = Path(liaison.__file__).parent


def _directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def assert_headers(response, where: str) -> None:
    assert "Content-Security-Policy-Report-Only" not in response.headers, where
    policy = _directives(response)
    assert policy.get("script-src") == ["'self'"], where
    assert policy.get("object-src") == ["'none'"], where
    assert policy.get("frame-ancestors") == ["'none'"], where
    permissions = response.headers.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "payment=()", "geolocation=(self)"):
        assert feature in permissions, where


def _routes(resolver=None, prefix=""):
    """Every URL pattern without parameters, as a path."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern) and not re.search(r"[<(\[\\?*+]", route):
            yield "/" + route


@pytest.mark.django_db
def test_every_parameterless_page_has_both_headers_for_visitors_and_staff(client, accounts):
    seen_html = 0
    for user in (None, accounts.administrator, accounts.station_a_staff, accounts.deputy_a):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for path in sorted(set(_routes())):
            if "logout" in path:
                continue
            response = client.get(path)
            if response.get("Content-Type", "").startswith("text/html"):
                seen_html += 1
            assert_headers(response, f"{path} as {user}")
    assert seen_html > 40  # the walk reached the pages, not only redirects


@pytest.mark.django_db
def test_pages_with_parameters_errors_and_files_have_both_headers(client, district, accounts):
    dep, station = district.dep_a, district.station_a
    pages = [
        f"/d/{dep.public_code}/",
        f"/s/{station.public_code}/",
        f"/d/{dep.public_code}/sign.pdf",
        "/no-such-page/",  # Django's 404 page
        "/api/v1/no-such-endpoint",
        "/api/v1/openapi.json",
    ]
    for path in pages:
        assert_headers(client.get(path), path)
    client.force_login(accounts.station_b_staff)
    assert_headers(client.get(f"/s/{station.public_code}/signs.pdf"), "403/404 of another station")


@pytest.mark.django_db
def test_swagger_ui_alone_may_use_inline_styles_and_loads_its_script_as_a_file(client):
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert_headers(docs, "/api/v1/docs")
    assert "'unsafe-inline'" in _directives(docs)["style-src"]
    page = docs.content.decode()
    assert "<script>" not in page
    script = re.search(r'<script src="([^"]*\?script=[^"]*)"', page)[1].replace("&amp;", "&")
    start_up = client.get(script)
    assert start_up.status_code == 200 and "SwaggerUIBundle" in start_up.content.decode()
    home = client.get("/")
    assert _directives(home)["style-src"] == ["'self'"]


def test_templates_hold_nothing_a_strict_policy_blocks():
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=|javascript:", re.I
    )
    found = [
        f"{path.relative_to(TEMPLATE_ROOT)}: {match.group(0)}"
        for path in TEMPLATE_ROOT.rglob("templates/**/*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert found == []
