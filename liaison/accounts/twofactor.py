"""Two-factor login (双重验证) with a TOTP authenticator app (django-otp).

The password alone does not sign in an account that has an authenticator: the login page keeps
the account as "pending" in the session, and only the code page signs it in (Django's `login`,
then django-otp's `login` marks the session verified). Administrators must enrol
(LIAISON_TWO_FACTOR_ADMINISTRATORS): accounts/middleware.py keeps them on the enrolment page.
"""

import time
from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .services import confirm_two_factor

PENDING = "liaison_2fa_pending"
ENROL_KEY = "liaison_2fa_key"
PENDING_SECONDS = 300  # time to type the code after the password


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def required_for(user) -> bool:
    """Whether `user` may not work without a verified second factor."""
    if user.is_administrator and settings.LIAISON_TWO_FACTOR_ADMINISTRATORS:
        return True
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "size": 8,
                "autofocus": True,
            }
        ),
    )

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip()
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError(_("Enter the 6 digits shown in the app."))
        return token


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """The password step; for an account with an authenticator, the code step follows."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_redirect_url(),
        }
        return redirect("accounts:login-code")


def login_code(request):
    """The code step: the account whose password was right, and the code of its app."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.info(request, gettext("Please log in again."))
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    device = confirmed_device(user) if user else None
    if device is None:  # removed meanwhile: the password step decides again
        request.session.pop(PENDING, None)
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        allowed = device.verify_is_allowed()[0]
        if not allowed:
            form.errors.clear()
            form.add_error(
                None,
                gettext("Too many wrong codes. Please wait a minute and enter a new code."),
            )
            status = 429
        elif form.is_valid() and device.verify_token(form.cleaned_data["otp_token"]):
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(_safe_next(request, pending.get("next", "")))
        else:
            if form.is_valid():
                form.add_error(
                    "otp_token",
                    gettext("This code is wrong or has expired. Enter the code shown now."),
                )
            status = 400
    return render(request, "accounts/login_code.html", {"form": form}, status=status)


def _secret_groups(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor(request):
    """Enrolment: the QR code and the secret, then one code from the app to confirm."""
    user = request.user
    device = confirmed_device(user)
    if device is not None:
        return render(request, "accounts/two_factor.html", {"device": device})
    # The secret waits in the session until confirmed: nothing is stored before.
    key = request.session.get(ENROL_KEY) or random_hex(20)
    request.session[ENROL_KEY] = key
    pending_device = TOTPDevice(user=user, key=key)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        confirmed = None
        if form.is_valid():
            confirmed = confirm_two_factor(user, key=key, token=form.cleaned_data["otp_token"])
            if confirmed is None:
                form.add_error(
                    "otp_token",
                    gettext(
                        "This code does not match. Check the app's clock and try the new code."
                    ),
                )
        if confirmed is not None:
            del request.session[ENROL_KEY]
            otp_login(request, confirmed)
            messages.success(
                request, gettext("Two-factor login is on. From now on, log in with a code too.")
            )
            return redirect(_safe_next(request, request.GET.get("next", "")))
        status = 400
    svg = segno.make(pending_device.config_url, error="m").svg_inline(scale=5, omitsize=False)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "qr_svg": svg,
            "secret": _secret_groups(pending_device),
            "required": required_for(user),
            "next": request.GET.get("next", ""),
        },
        status=status,
    )


def enrol_url(next_path: str) -> str:
    return f"{reverse('accounts:two-factor')}?{urlencode({'next': next_path})}"
