"""DRF's throttles with their rates read from settings at each request (API_THROTTLE_ANON /
API_THROTTLE_USER), so that a deployment (or a test) can change them without DRF's import-time
copy. API keys are counted per key, not per client address."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_ANON

    def allow_request(self, request, view):
        if request.auth is not None:
            return True  # counted by UserThrottle
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class UserThrottle(UserRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_USER

    def allow_request(self, request, view):
        if request.auth is None and not request.user.is_authenticated:
            return True  # counted by AnonThrottle
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        key = request.auth
        if key is not None and hasattr(key, "pk"):
            return self.cache_format % {"scope": self.scope, "ident": f"key-{key.pk}"}
        return super().get_cache_key(request, view)
