"""Login lockout (django-axes): per account, per client address, cool-off, administrators'
log and unlock, and the same counting where an API token is created."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from liaison.accounts.services import unlock_logins
from liaison.core.errors import NotAllowed
from liaison.core.models import AuditEvent

PASSWORD = "pass-for-tests"  # tests/factories.py
LOGIN = "/accounts/login/"
START = dt.datetime(2025, 9, 22, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LIAISON_LOGIN_FAILURES_PER_ACCOUNT = settings.AXES_FAILURE_LIMIT = 3
    settings.LIAISON_LOGIN_FAILURES_PER_IP = 5
    settings.LIAISON_LOGIN_COOLOFF_MINUTES = 30
    settings.AXES_COOLOFF_TIME = 0.5  # hours


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def login(client, username, password, ip="10.0.0.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_nth_wrong_password_locks_and_then_the_right_one_is_refused_until_the_cool_off(
    client, accounts, clock
):
    user = accounts.station_a_staff.username
    for _ in range(2):
        response = login(client, user, "wrong")
        assert response.status_code == 200 and not signed_in(client)
    response = login(client, user, "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    # Chinese by default, with the time it ends: 10:00 UTC + 30 min = 18:30 in Shanghai.
    assert 'id="login-locked"' in page and "18:30" in page

    response = login(client, user, PASSWORD)
    assert response.status_code == 429 and not signed_in(client)

    clock.shift(dt.timedelta(minutes=29))
    assert login(client, user, PASSWORD).status_code == 429
    clock.shift(dt.timedelta(minutes=2))
    response = login(client, user, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_other_accounts_and_other_addresses_are_not_locked_with_one_account(
    client, accounts, clock
):
    locked = accounts.station_a_staff.username
    for _ in range(3):
        login(client, locked, "wrong")
    # Another account from the same address still logs in, and its login lifts no other lock.
    assert login(client, accounts.station_b_staff.username, PASSWORD).status_code == 302
    client.logout()
    assert login(client, locked, PASSWORD).status_code == 429
    # The locked account is locked from every address: the lock protects the account.
    assert login(client, locked, PASSWORD, ip="10.0.0.2").status_code == 429


def test_an_address_that_guessed_at_many_accounts_is_locked_for_all_of_them(
    client, accounts, clock
):
    for username in ["a", "b", "c", "d"]:  # one failure each: no account reaches 3
        login(client, username, "wrong")
    # Four from one address (a station's staff share one): below the address's own limit.
    assert login(client, accounts.station_b_staff.username, PASSWORD).status_code == 302
    client.logout()
    login(client, "e", "wrong")
    response = login(client, accounts.station_a_staff.username, PASSWORD)
    assert response.status_code == 429 and not signed_in(client)
    # The same account from another address is fine.
    assert (
        login(client, accounts.station_a_staff.username, PASSWORD, ip="10.0.0.9").status_code == 302
    )


def test_the_address_comes_from_the_configured_proxy_header(client, accounts, settings, clock):
    settings.LIAISON_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for username in ["a", "b", "c", "d", "e"]:
        # Behind the proxy every request has the proxy's REMOTE_ADDR; the header tells them apart.
        login(client, username, "wrong", ip="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    ok = login(client, "station_a", PASSWORD, ip="127.0.0.1", HTTP_X_REAL_IP="203.0.113.8")
    assert ok.status_code == 302


def test_a_forged_or_missing_address_is_counted_per_account_never_an_error(
    client, accounts, settings, clock
):
    """The address column is PostgreSQL `inet`: "unknown" or a forged header must not reach it."""
    settings.LIAISON_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(5):
        response = login(client, "station_a", "wrong", HTTP_X_REAL_IP="not-an-address")
        assert response.status_code in (200, 429)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {None}
    assert login(client, "station_a", PASSWORD, HTTP_X_REAL_IP="x").status_code == 429


def test_an_administrator_reads_the_log_and_unlocks(client, accounts, clock):
    user = accounts.station_a_staff.username
    for _ in range(3):
        login(client, user, "wrong")
    assert AccessFailureLog.objects.filter(username=user).count() == 3

    staff = client.__class__()
    staff.force_login(accounts.county_committee)
    assert staff.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403

    admin = client.__class__()
    admin.force_login(accounts.administrator)
    page = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200 and user in page.content.decode()
    assert admin.get(reverse("admin:axes_accessfailurelog_changelist")).status_code == 200
    assert admin.get(reverse("admin:axes_accesslog_changelist")).status_code == 200
    attempt = AccessAttempt.objects.get(username=user)
    response = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock", ACTION_CHECKBOX_NAME: [attempt.pk]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(verb="account.login_unlocked")
    assert event.actor == accounts.administrator and event.data["username"] == user

    assert login(client, user, PASSWORD).status_code == 302


def test_only_an_administrator_may_unlock(accounts, client, clock):
    login(client, "station_a", "wrong")
    with pytest.raises(NotAllowed):
        unlock_logins(AccessAttempt.objects.all(), actor=accounts.county_committee)
    assert AccessAttempt.objects.count() == 1


def test_creating_an_api_token_counts_wrong_passwords_towards_the_same_lock(
    client, accounts, clock
):
    client.force_login(accounts.station_a_staff)
    url = reverse("api-tokens:list")
    data = {"name": "laptop", "scopes": ["staff"]}
    for _ in range(2):
        response = client.post(url, {**data, "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 400
        assert response.context["form"].errors["password"]
    response = client.post(url, {**data, "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429 and 'id="login-locked"' in response.content.decode()
    # Locked: the right password creates no token either, and the login page is locked too.
    response = client.post(url, {**data, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429 and "lia_" not in response.content.decode()
    client.logout()
    assert login(client, "station_a", PASSWORD, ip="10.0.0.5").status_code == 429
