from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from liaison.api.keys import authenticate_key
from liaison.api.models import ApiKey


def run(*args) -> str:
    out = StringIO()
    call_command("apikey", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_create_prints_a_working_key_once(accounts):
    raw = run("create", "12345 hotline", "--scope", "cases:submit", "--scope", "cases:read")
    raw = raw.strip()
    key = authenticate_key(raw)
    assert key.name == "12345 hotline" and key.user is None
    assert key.scopes == ["cases:read", "cases:submit"]
    assert raw not in run("list")


def test_create_personal_token(accounts):
    raw = run("create", "laptop", "--user", "station_a", "--scope", "staff").strip()
    assert authenticate_key(raw).user == accounts.station_a_staff


def test_create_for_unknown_user_fails_and_stores_nothing(db):
    with pytest.raises(CommandError, match="nobody"):
        run("create", "x", "--user", "nobody")
    assert not ApiKey.objects.exists()


def test_unknown_scope_is_refused(db):
    with pytest.raises(CommandError):
        run("create", "x", "--scope", "root")
    assert not ApiKey.objects.exists()


def test_list_shows_prefix_name_and_state_and_revoke_by_prefix(db):
    raw = run("create", "app").strip()
    prefix = raw[:8]
    assert prefix in run("list") and "active" in run("list")
    assert "revoked" in run("revoke", prefix)
    assert authenticate_key(raw) is None
    assert "revoked" in run("list")
    with pytest.raises(CommandError):
        run("revoke", prefix)


def test_revoke_unknown_prefix_fails(db):
    with pytest.raises(CommandError):
        run("revoke", "lia_nope")
