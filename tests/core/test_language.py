"""Chinese by default, whatever the browser asks for; English only when chosen."""

import pytest


@pytest.mark.django_db
def test_chinese_is_the_default_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-Hans"' in response.content.decode()
    assert "搜索" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_chooses_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-Hans"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies["django_language"] = "xx-bogus"
    assert '<html lang="zh-Hans"' in client.get("/").content.decode()
