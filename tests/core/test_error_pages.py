"""Errors show the site's own pages, in Chinese, each with a way home (issue 16): never Django's
English pages. `make run` runs the demo with DEBUG off for the same reason
(tests/e2e/test_error_pages.py starts it as the Makefile does)."""

import pytest
from django.test import Client

EN = {"HTTP_COOKIE": "django_language=en"}
HOME_LINK = '<a class="button primary" href="/">'


def assert_site_page(response, status, lang="zh-Hans"):
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert HOME_LINK in html
    assert "/static/liaison/site.css" in html
    # Django's own pages: the technical ones, and the bare ones without a template.
    for django_text in ("Traceback", "Page not found at", "Server Error (500)", "403 Forbidden"):
        assert django_text not in html
    return html


@pytest.mark.django_db
def test_an_unknown_path_is_the_site_404_in_chinese(client):
    html = assert_site_page(client.get("/no/such/page/"), 404)
    assert "抱歉，没有找到这个页面" in html
    assert "返回首页" in html


@pytest.mark.django_db
@pytest.mark.urls("tests.core.error_urls")
def test_a_crash_is_the_site_500_in_chinese(client):
    client.raise_request_exception = False
    html = assert_site_page(client.get("/test-crash/"), 500)
    assert "页面出错了" in html
    assert "返回首页" in html
    assert "a bug" not in html


@pytest.mark.django_db
@pytest.mark.urls("tests.core.error_urls")
def test_a_refusal_is_the_site_403_with_its_reason(client):
    html = assert_site_page(client.get("/test-forbidden/", **EN), 403, "en")
    assert "You cannot open this page" in html
    assert "You can print the signs of your own stations only." in html


@pytest.mark.django_db
def test_an_expired_form_is_the_site_403_that_says_what_to_do(district):
    client = Client(enforce_csrf_checks=True)
    station = district.station_a
    response = client.post(f"/s/{station.public_code}/message/", {"title": "x"}, **EN)
    html = assert_site_page(response, 403, "en")
    assert "This form has expired" in html
    assert "CSRF" not in html
