"""The API's throttles: a counter per client and fixed window (core/ratelimit.increment), with
the rates read from settings at each request (API_THROTTLE_ANON / API_THROTTLE_USER), so that a
deployment (or a test) can change them without DRF's import-time copy. API keys are counted per
key, not per client address.

DRF's own throttles keep the time of every request in the window as one cached list, read and
written back whole at each request: a partner's key at 600 requests a minute carries a list of
600 floats both ways on every call. A counter is one round trip whatever the rate; a client may
use up one window's rate at its end and the next one's at the start."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from liaison.core.ratelimit import increment


class _FixedWindow:
    def counted(self, request) -> bool:
        """Whether this throttle counts the request (each client is counted by one of them)."""
        raise NotImplementedError

    def allow_request(self, request, view):
        if not self.counted(request):
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if key is None or self.num_requests is None:
            return True
        now = self.timer()
        self.left = self.duration - now % self.duration
        return increment(f"{key}:{int(now // self.duration)}", self.duration) <= self.num_requests

    def wait(self):
        return self.left


class AnonThrottle(_FixedWindow, AnonRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_ANON

    def counted(self, request) -> bool:
        return request.auth is None  # a key is counted by UserThrottle


class UserThrottle(_FixedWindow, UserRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_USER

    def counted(self, request) -> bool:
        # Without a key or an account: counted by AnonThrottle.
        return request.auth is not None or request.user.is_authenticated

    def get_cache_key(self, request, view):
        key = request.auth
        if key is not None and hasattr(key, "pk"):
            return self.cache_format % {"scope": self.scope, "ident": f"key-{key.pk}"}
        return super().get_cache_key(request, view)
