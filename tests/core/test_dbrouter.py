"""The read-replica router (liaison/core/dbrouter.py, docs/scaling.md) on any database: which
alias each ORM read is sent to. A replica alias is pretended here (the router's answers are
recorded, the queries still run on the test database); tests/core/test_replicas.py runs the same
against a real streaming replica."""

import os
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, transaction
from django.urls import reverse

from liaison.core import dbrouter
from liaison.directory.models import Station

FAKE = "replica_0"


@pytest.fixture
def routed(settings):
    """One pretend replica; yields the aliases the router answered for reads, in order."""
    settings.LIAISON_REPLICA_DATABASES = [FAKE]
    settings.LIAISON_REPLICA_STICKY_SECONDS = 5
    answers = []
    original = dbrouter.ReplicaRouter.db_for_read

    def recording(self, model, **hints):
        alias = original(self, model, **hints)
        answers.append((model._meta.label, alias))
        return DEFAULT_DB_ALIAS  # the pretend replica is the test database itself

    configured = mock.patch.object(dbrouter, "_configured", side_effect=lambda a: a == FAKE)
    with configured, mock.patch.object(dbrouter.ReplicaRouter, "db_for_read", recording):
        yield answers


def _replica_reads(answers):
    return [label for label, alias in answers if alias == FAKE]


def test_without_replicas_every_read_goes_to_the_primary(settings, district):
    settings.LIAISON_REPLICA_DATABASES = []
    with dbrouter.reads_from_replica() as alias:
        assert alias is None
        assert dbrouter.current_read_alias() == DEFAULT_DB_ALIAS
        assert Station.objects.count() == len(list(Station.objects.all()))


def test_without_replicas_a_post_sets_no_cookie(settings, client):
    settings.LIAISON_REPLICA_DATABASES = []
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert dbrouter.COOKIE_NAME not in response.cookies


def test_the_public_stats_page_reads_from_the_replica(routed, client, district):
    response = client.get(reverse("stats_public:page"))
    assert response.status_code == 200
    assert _replica_reads(routed), routed


def test_the_station_page_reads_from_the_replica(routed, client, district):
    response = client.get(reverse("directory:station", args=[district.station_a.public_code]))
    assert response.status_code == 200
    assert "directory.Station" in _replica_reads(routed)


def test_the_staff_dashboard_reads_from_the_replica_but_the_session_from_the_primary(
    routed, client, accounts
):
    client.force_login(accounts.county_committee)
    routed.clear()
    response = client.get(reverse("stats:dashboard"))
    assert response.status_code == 200
    assert _replica_reads(routed)
    sessions = [alias for label, alias in routed if label == "sessions.Session"]
    assert sessions and set(sessions) == {DEFAULT_DB_ALIAS}


def test_pages_not_marked_read_from_the_primary(routed, client, accounts):
    client.force_login(accounts.station_a_staff)
    routed.clear()
    response = client.get(reverse("staff:case-queue"))
    assert response.status_code == 200
    assert routed and not _replica_reads(routed)


def test_a_post_that_succeeded_keeps_the_writer_on_the_primary(routed, client, district):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    cookie = response.cookies[dbrouter.COOKIE_NAME]
    assert cookie["max-age"] == 5 and cookie["httponly"]
    # The cookie holds the time to the millisecond, which may round up past now + 5 s.
    assert time.time() < float(cookie.value) <= time.time() + 5.001
    routed.clear()
    assert client.get(reverse("stats_public:page")).status_code == 200
    assert routed and not _replica_reads(routed)


def test_after_the_sticky_seconds_the_writer_reads_the_replica_again(routed, client, district):
    client.cookies[dbrouter.COOKIE_NAME] = f"{time.time() - 1:.3f}"
    assert client.get(reverse("stats_public:page")).status_code == 200
    assert _replica_reads(routed)


def test_a_forged_cookie_only_costs_primary_reads(routed, client, district):
    client.cookies[dbrouter.COOKIE_NAME] = "not a time"
    assert client.get(reverse("stats_public:page")).status_code == 200
    assert _replica_reads(routed)


def test_a_refused_post_is_not_a_write(routed, client, accounts):
    client.force_login(accounts.county_committee)
    response = client.post(reverse("exports:start", args=["cases"]), {"format": "pdf"})
    assert response.status_code == 400
    assert dbrouter.COOKIE_NAME not in response.cookies


def test_an_orm_write_in_a_get_is_a_write(routed, rf, district):
    def view(request):
        Station.objects.filter(pk=district.station_a.pk).update(name="新名字")
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = dbrouter.ReplicaStickinessMiddleware(view)
    response = middleware(rf.get("/"))
    assert dbrouter.COOKIE_NAME in response.cookies


def test_reads_inside_a_transaction_go_to_the_primary(routed, district):
    with dbrouter.reads_from_replica():
        assert dbrouter.current_read_alias() == FAKE
        with transaction.atomic():
            assert dbrouter.current_read_alias() == DEFAULT_DB_ALIAS
        assert dbrouter.current_read_alias() == FAKE
    assert dbrouter.current_read_alias() == DEFAULT_DB_ALIAS


def test_a_streamed_export_keeps_its_replica_after_the_view(routed, district):
    with dbrouter.reads_from_replica():
        rows = dbrouter.on_replica(Station.objects.order_by("pk").iterator())
    routed.clear()
    assert len(list(rows)) == Station.objects.count()
    assert _replica_reads(routed) == ["directory.Station"]


def test_writes_and_migrations_only_on_the_primary(routed):
    router = dbrouter.ReplicaRouter()
    with dbrouter.reads_from_replica():
        assert router.db_for_write(Station) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "directory") is True
    assert router.allow_migrate(FAKE, "directory") is False


def test_replicas_need_postgresql():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(
        SECRET_KEY="x" * 50,
        DJANGO_SETTINGS_MODULE="liaison.settings",
        DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:5433/liaison",
    )
    probe = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL" in result.stderr


def test_replica_urls_become_aliases_that_mirror_the_primary_in_tests():
    env = dict(os.environ)
    env.update(
        SECRET_KEY="x" * 50,
        DJANGO_SETTINGS_MODULE="liaison.settings",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/liaison",
        DATABASE_REPLICA_URLS="postgres://r@10.0.0.2:5432/liaison, postgres://r@10.0.0.3/liaison",
    )
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.LIAISON_REPLICA_DATABASES, s.DATABASES['replica_1']['HOST'], "
        "s.DATABASES['replica_0']['TEST'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    expected = "['replica_0', 'replica_1'] 10.0.0.3 {'MIRROR': 'default'"
    assert result.stdout.strip().startswith(expected)
