"""Read replicas against a real streaming replica (docs/scaling.md, "Read replicas").

Runs on PostgreSQL when TEST_REPLICA_URL points at a streaming replica of the test server, as
`tools/replica_setup.sh` makes one (`.ci/run` does):

    tools/replica_setup.sh
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_scale \\
    TEST_REPLICA_URL=postgres://postgres@127.0.0.1:5433/postgres pytest tests/core/test_replicas.py

The replica alias is added for these tests only and points at the same database name as the
primary's test database (`test_…`), which reached the replica by streaming: a row is only seen
there once the replica has replayed the primary's WAL up to its commit. Skipped without a replica
(or on SQLite); with LIAISON_REQUIRE_TEST_TOOLS=1 (CI) a missing replica on PostgreSQL fails.
"""

import os
import time

import dj_database_url
import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.core import dbrouter
from liaison.directory.models import Region

from ..factories import RegionFactory
from ..tools import tools_required

ALIAS = "replica_streaming"
REPLICA_URL = os.environ.get("TEST_REPLICA_URL", "")


def _register() -> bool:
    """The replica alias, from collection on, so that the test run's database set-up points it at
    the test database (a test mirror of default: same NAME, the replica's host and port)."""
    if not REPLICA_URL or "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return False
    config = dj_database_url.parse(REPLICA_URL)
    config["CONN_MAX_AGE"] = 0
    config["TEST"] = {"MIRROR": "default"}
    default = dict(connections.settings["default"])
    connections.settings[ALIAS] = connections.configure_settings(
        {"default": default, ALIAS: config}
    )[ALIAS]
    return True


REGISTERED = _register()
pytestmark = pytest.mark.django_db(
    transaction=True, databases=["default", ALIAS] if REGISTERED else ["default"]
)


@pytest.fixture
def replica(settings):
    if connections["default"].vendor != "postgresql":
        pytest.skip("read replicas are PostgreSQL's: this run is on SQLite")
    if not REGISTERED:
        reason = "TEST_REPLICA_URL is not set (tools/replica_setup.sh makes a replica)"
        if tools_required():
            pytest.fail(f"{reason}; LIAISON_REQUIRE_TEST_TOOLS=1 requires it", pytrace=False)
        pytest.skip(reason)
    assert connections[ALIAS].settings_dict["NAME"] == connections["default"].settings_dict["NAME"]
    settings.LIAISON_REPLICA_DATABASES = [ALIAS]
    settings.LIAISON_REPLICA_STICKY_SECONDS = 5
    _wait_for_replay()  # the test database itself, and what fixtures wrote
    return connections[ALIAS]


def _wait_for_replay(timeout: float = 20) -> None:
    """Until the replica has replayed everything the primary has committed so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (target,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    while True:
        try:
            with connections[ALIAS].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cursor.fetchone()[0]:
                    return
        except Exception:
            connections[ALIAS].close()  # the database may not have reached the replica yet
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            pytest.fail(f"the replica did not replay the primary's WAL up to {target} in time")
        time.sleep(0.05)


def _queries_on(alias, request):
    with CaptureQueriesContext(connections[alias]) as captured:
        response = request()
    return response, [query["sql"] for query in captured.captured_queries]


def test_it_is_a_streaming_replica_of_the_primary(replica):
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        in_recovery, port = cursor.fetchone()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT inet_server_port()")
        (primary_port,) = cursor.fetchone()
    assert in_recovery is True
    assert port != primary_port


def test_a_row_written_on_the_primary_appears_on_the_replica(replica):
    region = RegionFactory(name="流复制区")
    _wait_for_replay()
    copy = Region.objects.using(ALIAS).get(pk=region.pk)
    assert copy.name == "流复制区"
    with pytest.raises(Exception, match="read-only"), replica.cursor() as cursor:
        cursor.execute("UPDATE directory_region SET name = 'x' WHERE id = %s", [region.pk])


def test_the_stats_page_reads_from_the_replica(replica, client, district):
    _wait_for_replay()
    response, on_replica = _queries_on(ALIAS, lambda: client.get(reverse("stats_public:page")))
    assert response.status_code == 200
    assert any("stats_regionfigure" in sql for sql in on_replica), on_replica  # the coarse rollup


def test_the_staff_queue_reads_from_the_primary(replica, client, accounts):
    client.force_login(accounts.station_a_staff)
    _wait_for_replay()
    response, on_replica = _queries_on(ALIAS, lambda: client.get(reverse("staff:case-queue")))
    assert response.status_code == 200
    assert on_replica == []


def test_read_your_writes_keeps_the_writer_on_the_primary(replica, client, district, settings):
    settings.LIAISON_REPLICA_STICKY_SECONDS = 2
    _wait_for_replay()
    page = reverse("stats_public:page")
    response = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert response.status_code == 302
    assert dbrouter.COOKIE_NAME in response.cookies
    response, on_replica = _queries_on(ALIAS, lambda: client.get(page))
    assert response.status_code == 200
    assert on_replica == []  # the writer reads the primary
    time.sleep(2.1)
    response, on_replica = _queries_on(ALIAS, lambda: client.get(page))
    assert response.status_code == 200
    assert on_replica  # and the replica again once the sticky seconds are over
