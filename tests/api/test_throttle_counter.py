"""The API's throttles and the citizen pages' limits count with one Redis round trip
(core/ratelimit.increment): a counter per client and window that always expires, never the
list of every request's time that DRF's own throttle carries to and from the cache. Against the
Redis server at 127.0.0.1:6379 (skips without one, fails under LIAISON_REQUIRE_TEST_TOOLS=1)."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache, caches

from liaison.api.keys import create_key
from liaison.core import ratelimit

from ..tools import REDIS_URL, require_redis


@pytest.fixture
def redis_default(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"liaison-test-{uuid.uuid4().hex[:8]}",
        }
    }
    require_redis(cache)
    yield caches["default"]
    cache.clear()


def _ttl(backend, key):
    full = backend.make_and_validate_key(key)
    return backend._cache.get_client(full).ttl(full)


def test_a_counter_counts_in_one_round_trip_and_always_expires(redis_default):
    assert [ratelimit.increment("c", 60) for _ in range(3)] == [1, 2, 3]
    assert cache.get("c") == 3  # the same value Django's cache reads
    assert 0 < _ttl(redis_default, "c") <= 60
    # A counter that expired starts again at 1, with an expiry of its own.
    cache.delete("c")
    assert ratelimit.increment("c", 30) == 1
    assert 0 < _ttl(redis_default, "c") <= 30


def test_a_page_limit_counts_on_redis(redis_default, settings):
    settings.LIAISON_RATE_MESSAGES_PER_PHONE = 2
    limit = ratelimit.MESSAGES_PER_PHONE
    assert not limit.exceeded("13900001111")
    limit.hit("13900001111")
    limit.hit("13900001111")
    assert limit.exceeded("13900001111") and not limit.exceeded("13900002222")


def test_a_key_is_throttled_by_a_counter_per_minute(redis_default, api, db, settings):
    settings.API_THROTTLE_USER = "3/min"
    _key, raw = create_key(name="k", scopes=["cases:read"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    start = datetime(2026, 12, 5, 10, 0, 45, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(start, tick=False):
        statuses = [api.get("/api/v1/categories/", **auth).status_code for _ in range(4)]
        refused = api.get("/api/v1/categories/", **auth)
    assert statuses == [200, 200, 200, 429]
    assert int(refused["Retry-After"]) == 15  # the rest of the minute
    client = redis_default._cache.get_client("")
    stored = [k for k in client.keys(f"{redis_default.key_prefix}*") if b"throttle" in k]
    assert len(stored) == 1 and int(client.get(stored[0])) == 5  # a number, not a list
    with time_machine.travel(start.replace(minute=1, second=1), tick=False):
        assert api.get("/api/v1/categories/", **auth).status_code == 200
