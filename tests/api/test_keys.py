from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from liaison.api.keys import authenticate_key, create_key, hash_key, revoke_key
from liaison.api.models import ApiKey
from liaison.core.models import AuditEvent


def test_create_returns_raw_key_once_and_stores_only_its_hash(accounts):
    key, raw = create_key(name="hotline", scopes=["cases:submit"])
    assert raw.startswith("lia_") and len(raw) == 44
    assert key.prefix == raw[:8]
    assert key.key_hash == hash_key(raw) and raw not in key.key_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apikey")
        rows = cursor.fetchall()
    assert rows and not any(raw in str(value) for row in rows for value in row)
    assert AuditEvent.objects.filter(verb="apikey.created", object_id=str(key.pk)).exists()


def test_keys_are_unique(db):
    raws = {create_key(name=f"k{i}", scopes=[])[1] for i in range(5)}
    assert len(raws) == 5


def test_authenticate_finds_the_key_and_its_user(accounts):
    key, raw = create_key(name="mine", user=accounts.station_a_staff, scopes=["staff"])
    found = authenticate_key(raw)
    assert found == key and found.user == accounts.station_a_staff
    assert found.has_scope("staff") and not found.has_scope("cases:submit")


@pytest.mark.parametrize("raw", ["", "lia_", "lia_" + "x" * 40, "nonsense"])
def test_unknown_keys_do_not_authenticate(db, raw):
    create_key(name="k", scopes=[])
    assert authenticate_key(raw) is None


def test_revoked_key_does_not_authenticate_and_revocation_is_audited(accounts):
    key, raw = create_key(name="k", scopes=[])
    revoke_key(key, actor=accounts.administrator)
    assert key.revoked_at is not None
    assert authenticate_key(raw) is None
    event = AuditEvent.objects.get(verb="apikey.revoked")
    assert event.actor == accounts.administrator and event.object_id == str(key.pk)
    revoke_key(key, actor=accounts.administrator)  # twice: one event only
    assert AuditEvent.objects.filter(verb="apikey.revoked").count() == 1


def test_inactive_users_token_does_not_authenticate(accounts):
    user = accounts.station_a_staff
    _key, raw = create_key(name="k", user=user, scopes=["staff"])
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert authenticate_key(raw) is None


def test_last_used_is_written_at_most_once_a_minute(db):
    key, raw = create_key(name="k", scopes=[])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = authenticate_key(raw).last_used_at
        clock.shift(timedelta(seconds=30))
        authenticate_key(raw)
        assert ApiKey.objects.get(pk=key.pk).last_used_at == first
        clock.shift(timedelta(seconds=31))
        authenticate_key(raw)
        assert ApiKey.objects.get(pk=key.pk).last_used_at > first


@pytest.mark.parametrize(("name", "scopes", "field"), [("", [], "name"), ("k", ["root"], "scopes")])
def test_bad_keys_are_refused_and_nothing_is_stored(db, name, scopes, field):
    with pytest.raises(ValidationError) as error:
        create_key(name=name, scopes=scopes)
    assert field in error.value.message_dict
    assert not ApiKey.objects.exists()
