"""One error body everywhere, in the requested language; 401/403/409/429 as documented."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from rest_framework.test import APIRequestFactory

from liaison.api.errors import exception_handler
from liaison.api.keys import create_key, revoke_key
from liaison.core.errors import ConcurrentChange, NotAllowed, TransitionRefused


def test_not_found_in_chinese_by_default_and_in_english_on_request(api, db):
    chinese = api.get("/api/v1/stations/nope/")
    english = api.get("/api/v1/stations/nope/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert chinese.status_code == english.status_code == 404
    assert chinese.json()["error"] == {"code": "not_found", "message": "未找到。", "field": None}
    assert english.json()["error"] == {"code": "not_found", "message": "Not found.", "field": None}
    assert english["Content-Language"] == "en"


def test_validation_message_follows_the_language(api, db):
    url = "/api/v1/calendar/add-working-days"
    en = api.get(url, {"from": "x", "days": "1"}, HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    zh = api.get(url, {"from": "x", "days": "1"}, HTTP_ACCEPT_LANGUAGE="zh-CN").json()["error"]
    assert en["field"] == zh["field"] == "from"
    assert "format" in en["message"] and "格式" in zh["message"]


def test_unknown_or_revoked_api_key_is_401(api, db):
    key, raw = create_key(name="k", scopes=["cases:read"])
    assert api.get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    revoke_key(key, actor=None)
    response = api.get(
        "/api/v1/regions/", HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert "revoked" in response.json()["error"]["message"]
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.fixture
def mid_minute():
    """The throttles count per minute: these requests all fall in one."""
    with time_machine.travel(datetime(2026, 12, 5, 10, 0, 20, tzinfo=ZoneInfo("UTC"))):
        yield


def test_throttled_is_429_with_retry_after(api, db, settings, mid_minute):
    settings.API_THROTTLE_ANON = "2/min"
    cache.clear()
    assert api.get("/api/v1/categories/").status_code == 200
    assert api.get("/api/v1/categories/").status_code == 200
    response = api.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert 30 < int(response["Retry-After"]) <= 40  # until the next minute


def test_api_keys_are_throttled_per_key(api, db, settings, mid_minute):
    settings.API_THROTTLE_ANON = "1/min"
    settings.API_THROTTLE_USER = "3/min"
    cache.clear()
    _key, raw = create_key(name="k", scopes=["cases:read"])
    statuses = [
        api.get("/api/v1/categories/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def _handle(exc, language="en"):
    request = APIRequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=language)
    return exception_handler(exc, {"request": request})


def test_domain_errors_become_409_and_403_with_their_codes():
    refused = _handle(TransitionRefused("Already closed."))
    assert refused.status_code == 409
    assert refused.data["error"] == {
        "code": "transition_refused",
        "message": "Already closed.",
        "field": None,
    }
    assert _handle(ConcurrentChange("Changed.")).data["error"]["code"] == "concurrent_change"
    assert _handle(ConcurrentChange("Changed.")).status_code == 409
    not_allowed = _handle(NotAllowed("No."))
    assert not_allowed.status_code == 403 and not_allowed.data["error"]["code"] == "not_allowed"


def test_django_validation_error_from_a_service_is_400_with_field():
    from django.core.exceptions import ValidationError

    response = _handle(ValidationError({"name": ["Give the key a name."]}))
    assert response.status_code == 400
    assert response.data["error"] == {
        "code": "invalid",
        "message": "Give the key a name.",
        "field": "name",
    }
