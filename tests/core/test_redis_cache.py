"""With REDIS_URL set, every web and worker process shares one cache (docs/scaling.md): rate
limits and cached pages are counted once, not per process. Against the Redis server at
127.0.0.1:6379 (CI has it; locally the test skips without one, and fails under
LIAISON_REQUIRE_TEST_TOOLS=1)."""

import subprocess
import sys
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from ..tools import REDIS_URL as URL
from ..tools import require_redis


@pytest.fixture
def redis_cache():
    cache = RedisCache(URL, {"KEY_PREFIX": f"liaison-test-{uuid.uuid4().hex[:8]}"})
    require_redis(cache)
    yield cache
    cache.clear()


def test_another_process_sees_the_same_counter(redis_cache):
    key = "rate:phone:13900001111"
    assert redis_cache.add(key, 0, 60)
    redis_cache.incr(key)
    prefix = redis_cache.key_prefix
    code = (
        "from django.conf import settings; settings.configure(); "
        "from django.core.cache.backends.redis import RedisCache; "
        f"c = RedisCache({URL!r}, {{'KEY_PREFIX': {prefix!r}}}); "
        f"print(c.incr({key!r}))"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip() == "2"
    assert redis_cache.get(key) == 2
