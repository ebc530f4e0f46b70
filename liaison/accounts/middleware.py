"""Keeps a signed-in account that needs a second factor, and has not given it, off every page
but enrolment and logout (docs/deployment.md, "Accounts: lockout and two-factor")."""

from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .twofactor import confirmed_device, enrol_url, required_for


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        # One indexed query per request of an unverified account (a verified one costs
        # django-otp's query for its device instead): an authenticator added in another browser
        # counts at once.
        if user.is_authenticated and not user.is_verified() and required_for(user):
            if request.path.startswith("/api/"):
                # The API by session cookie: such a session does not sign in (tokens do).
                request.user = AnonymousUser()
            elif not self._open(request.path):
                if user.is_administrator and confirmed_device(user) is None:
                    return redirect(enrol_url(request.get_full_path()))
                # Signed in by password alone (before the authenticator was added): again.
                logout(request)
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:login')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        open_paths = (
            reverse("accounts:two-factor"),
            reverse("accounts:logout"),
            "/i18n/",
            "/static/",
            "/healthz",
        )
        return path.startswith(open_paths)
