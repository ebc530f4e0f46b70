"""Abuse protection for the citizen's pages: fixed-window counters in the Django cache.

Keys hold a hash, never the phone number or address itself. The limits are settings
(`LIAISON_RATE_*`, see settings.py); with the default per-process cache each process counts on
its own, so a site served by several processes sets REDIS_URL.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

HOUR = 3600
DAY = 24 * HOUR


@dataclass(frozen=True)
class Limit:
    scope: str
    setting: str
    window: int  # seconds

    @property
    def limit(self) -> int:
        return int(getattr(settings, self.setting))

    def _key(self, who: str) -> str:
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:{who}".encode()).hexdigest()[:32]
        return f"liaison:rate:{self.scope}:{digest}"

    def exceeded(self, who: str) -> bool:
        """Whether `who` has used up the limit (without counting this call)."""
        return (cache.get(self._key(who)) or 0) >= self.limit

    def hit(self, who: str) -> None:
        increment(self._key(who), self.window)


def increment(key: str, window: int) -> int:
    """Add one to the counter under `key` and return it; a new counter lives `window` seconds.

    On Redis one round trip: SET NX with the expiry and INCR in one MULTI. Django's `incr` asks
    EXISTS first (three round trips with the `add`), and a key that expires between the two is
    made again by INCR without an expiry, which would then count for ever."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full = backend.make_and_validate_key(key)
        client = backend._cache.get_client(full, write=True)
        with client.pipeline() as pipe:
            pipe.set(full, 0, ex=window, nx=True)
            pipe.incr(full)
            return pipe.execute()[1]
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


MESSAGES_PER_PHONE = Limit("msg-phone", "LIAISON_RATE_MESSAGES_PER_PHONE", DAY)
MESSAGES_PER_IP = Limit("msg-ip", "LIAISON_RATE_MESSAGES_PER_IP", HOUR)
CODES_PER_PHONE = Limit("code-phone", "LIAISON_RATE_CODES_PER_PHONE", DAY)
TRACKING_FAILURES_PER_IP = Limit("track-ip", "LIAISON_RATE_TRACKING_FAILURES_PER_IP", HOUR)
TRACKING_FAILURES_PER_NUMBER = Limit(
    "track-number", "LIAISON_RATE_TRACKING_FAILURES_PER_NUMBER", HOUR
)
# Asking for an SMS code (the tracking page, "my messages"): counted per client whatever the
# number, so that the answer never depends on whether the number exists.
CODE_REQUESTS_PER_IP = Limit("code-ip", "LIAISON_RATE_CODE_REQUESTS_PER_IP", HOUR)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the header a trusted proxy sets
    (LIAISON_CLIENT_IP_HEADER, e.g. HTTP_X_REAL_IP)."""
    header = getattr(settings, "LIAISON_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    return (value.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")) or "unknown"
