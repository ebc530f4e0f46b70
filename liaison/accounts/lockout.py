"""Login lockout (django-axes): each wrong password counts against the account and against the
client address, each with its own limit; the lockout page says when to try again.

Axes itself has one limit for all its lockout parameters. A station's staff often share one
public address, so the address gets a higher limit than one account: the handler below reports
the account's count, or the account's limit once the address has used up its own.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext

from liaison.core.ratelimit import client_ip


def client_address(request) -> str | None:
    """The address the rate limits use (`core.ratelimit.client_ip`) if it is one: axes stores it
    in an address column (PostgreSQL `inet`), where "unknown" or a forged proxy header would
    fail the login with an error instead of being counted per account only."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        # One queryset per AXES_LOCKOUT_PARAMETERS entry: ["username", "ip_address"].
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.LIAISON_LOGIN_FAILURES_PER_IP:
            return max(by_account, settings.LIAISON_LOGIN_FAILURES_PER_ACCOUNT)
        return by_account

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful login, forget that account's failures only. Axes would also
        forget every failure from the address: one colleague's login at a station's shared
        address would lift another account's lock, and an attacker's own login their count."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def locked_until(username: str | None, ip_address: str | None):
    """When the last failure that counts for this account or address leaves the cool-off."""
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off).filter(
        Q(username=username) | Q(ip_address=ip_address)
    )
    last = recent.aggregate(last=Max("attempt_time"))["last"] or timezone.now()
    return last + cool_off


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lock explained (429: the client may retry later). Other
    pages that check a password (creating an API token) answer a page with the message alone."""
    from django.contrib.auth.forms import AuthenticationForm

    until = timezone.localtime(
        locked_until(get_client_username(request, credentials), request.axes_ip_address)
    )
    message = gettext(
        "Too many wrong passwords. For your safety, logging in is paused until %(time)s. "
        "Please try again after that, or ask an administrator to unlock the account."
    ) % {"time": time_format(until, "H:i")}
    match = request.resolver_match
    if match is None or match.view_name != "accounts:login":
        return render(request, "accounts/locked.html", {"locked_message": message}, status=429)
    return render(
        request,
        "accounts/login.html",
        {"form": AuthenticationForm(request), "locked_message": message, "next": ""},
        status=429,
    )
