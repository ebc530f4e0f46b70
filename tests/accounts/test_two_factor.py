"""TOTP two-factor login (django-otp): enrolment, the code step, administrators must enrol,
recovery by an administrator. Codes are computed like an authenticator app would."""

import time
from binascii import unhexlify

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.services import remove_two_factor
from liaison.core.errors import NotAllowed
from liaison.core.models import AuditEvent

PASSWORD = "pass-for-tests"  # tests/factories.py
HOME = "/accounts/"


def code(key_hex: str, offset: int = 0) -> str:
    return f"{totp(unhexlify(key_hex), t0=-offset * 30):06d}"


def enrol(client) -> TOTPDevice:
    client.get(reverse("accounts:two-factor"))
    key = client.session["liaison_2fa_key"]
    response = client.post(reverse("accounts:two-factor"), {"otp_token": code(key)})
    assert response.status_code == 302, response.content.decode()
    return TOTPDevice.objects.get(key=key)


def password_step(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def test_staff_enrol_with_a_qr_code_and_a_confirming_code(client, accounts):
    user = accounts.station_a_staff
    client.force_login(user)
    page = client.get(reverse("accounts:two-factor"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and 'id="totp-secret"' in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert '<label for="id_otp_token"' in html
    assert not TOTPDevice.objects.exists()  # nothing stored before it is confirmed

    key = client.session["liaison_2fa_key"]
    wrong = f"{(int(code(key)) + 1) % 1_000_000:06d}"
    for bad in [wrong, "12a456", "１２３４５６", ""]:
        response = client.post(reverse("accounts:two-factor"), {"otp_token": bad})
        assert response.status_code == 400, bad
    assert not TOTPDevice.objects.exists()

    device = enrol(client)
    assert device.user == user and device.confirmed
    assert AuditEvent.objects.filter(verb="account.two_factor_enabled", actor=user).exists()
    assert 'id="two-factor-on"' in client.get(reverse("accounts:two-factor")).content.decode()


def test_login_asks_for_the_code_after_the_password(client, accounts):
    user = accounts.station_a_staff
    client.force_login(user)
    device = enrol(client)
    client.logout()

    response = password_step(client, user.username)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login-code")
    assert "_auth_user_id" not in client.session  # the password alone signs nobody in
    assert client.get(HOME).status_code == 302

    page = client.get(reverse("accounts:login-code")).content.decode()
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    response = client.post(reverse("accounts:login-code"), {"otp_token": "000000"})
    assert response.status_code == 400 and "_auth_user_id" not in client.session

    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above makes the next try wait
    device.save()
    # The code that confirmed the enrolment may not be used again; the next one may.
    response = client.post(reverse("accounts:login-code"), {"otp_token": code(device.key, 1)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")
    assert client.get(HOME).status_code == 200


def test_wrong_codes_are_throttled(client, accounts):
    user = accounts.station_a_staff
    client.force_login(user)
    device = enrol(client)
    client.logout()
    password_step(client, user.username)
    client.post(reverse("accounts:login-code"), {"otp_token": "000000"})
    # Even the right code waits after a wrong one (django-otp's growing delay).
    response = client.post(reverse("accounts:login-code"), {"otp_token": code(device.key, 1)})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_the_code_step_needs_a_fresh_password_step(client, accounts):
    assert client.get(reverse("accounts:login-code")).status_code == 302
    user = accounts.station_a_staff
    client.force_login(user)
    device = enrol(client)
    client.logout()
    password_step(client, user.username)
    session = client.session
    session["liaison_2fa_pending"]["at"] = time.time() - 600
    session.save()
    response = client.post(reverse("accounts:login-code"), {"otp_token": code(device.key, 1)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


@pytest.fixture
def required(settings):
    settings.LIAISON_TWO_FACTOR_ADMINISTRATORS = True


def test_an_administrator_without_an_authenticator_must_enrol_first(client, accounts, required):
    admin = accounts.administrator
    response = password_step(client, admin.username)
    assert response.status_code == 302
    for path in [HOME, "/admin/", "/staff/", reverse("api-tokens:list")]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:two-factor")), path
    # By session cookie the API treats the account as not signed in.
    assert client.get("/api/v1/me/notifications/").status_code in (401, 403)
    page = client.get(reverse("accounts:two-factor"))
    assert page.status_code == 200 and 'id="two-factor-required"' in page.content.decode()

    enrol(client)
    assert client.get(HOME).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_session_without_the_code_is_logged_out_once_the_account_has_one(client, accounts):
    user = accounts.station_a_staff
    other_browser = client.__class__()
    other_browser.force_login(user)  # by password, before the authenticator existed
    client.force_login(user)
    enrol(client)
    response = other_browser.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )
    assert "_auth_user_id" not in other_browser.session


def test_without_the_requirement_administrators_work_without_an_authenticator(client, accounts):
    # Demo mode's default (LIAISON_TWO_FACTOR_ADMINISTRATORS follows LIAISON_DEMO).
    password_step(client, accounts.administrator.username)
    assert client.get(HOME).status_code == 200


def test_the_admin_login_form_sends_to_the_staff_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/admin/"
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == f"{reverse('accounts:login')}?next=/admin/"


def test_an_administrator_removes_a_lost_authenticator(client, accounts):
    user = accounts.station_a_staff
    client.force_login(user)
    enrol(client)
    with pytest.raises(NotAllowed):
        remove_two_factor(user, actor=accounts.county_committee)
    assert TOTPDevice.objects.filter(user=user).exists()

    admin = client.__class__()
    admin.force_login(accounts.administrator)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "remove_two_factor", ACTION_CHECKBOX_NAME: [user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(verb="account.two_factor_removed")
    assert event.actor == accounts.administrator and event.object_id == str(user.pk)

    client.logout()
    assert password_step(client, user.username)["Location"] == reverse("accounts:home")


def test_the_device_admin_that_shows_secrets_is_not_offered(client, accounts):
    client.force_login(accounts.administrator)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
