"""Audit events are hash-chained per object (and those without one in one chain of their own);
`liaison audit heads` prints a day's chain heads and the worker writes them to var/audit-heads/
(core/chain.py, docs/deployment.md)."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation

from liaison.core import audit, chain, jobs
from liaison.core.models import AuditEvent
from liaison.directory.models import Region

from ..concurrency import race


@pytest.fixture(autouse=True)
def _english():
    """The command speaks the site's language; these tests read its English wording."""
    with translation.override("en"):
        yield


DAY = date(2025, 3, 4)
NOON = timezone.make_aware(datetime(2025, 3, 4, 12, 0))


def run(*args) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def sql(statement: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def trail(district, accounts):
    """Two objects with two events each, and two events without an object, on DAY."""
    with time_machine.travel(NOON, tick=False):
        for region in (district.street_a, district.street_b):
            audit.record("region.changed", actor=accounts.administrator, obj=region, n=1)
            audit.record("region.changed", actor=accounts.administrator, obj=region, n=2.5)
        audit.record("workdays.recomputed", years=[2025])
        audit.record("workdays.recomputed", years=[2026])
    return district


def test_audit_events_chain_per_object_and_without_one(trail):
    for chain_filter in (
        {"object_type": "directory.region", "object_id": str(trail.street_a.pk)},
        {"object_type": "", "object_id": ""},
    ):
        first, second = AuditEvent.objects.filter(**chain_filter).order_by("id")
        assert first.prev_hash == "" and second.prev_hash == first.hash
        assert second.hash == chain.digest(second)
    assert "intact" in run("verify", "--all")


def test_an_edited_audit_event_is_named(trail):
    victim = AuditEvent.objects.filter(object_id=str(trail.street_b.pk)).earliest("id")
    sql("UPDATE core_auditevent SET data = %s WHERE id = %s", ['{"n": 3}', victim.pk])
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", "--all", stdout=out)
    assert raised.value.returncode == 1
    aggregate = f"directory.region:{trail.street_b.pk}"
    assert f"core.auditevent aggregate {aggregate} event {victim.pk}: content changed" in (
        out.getvalue()
    )


def test_a_deleted_audit_event_without_object_is_found(trail):
    first, second = AuditEvent.objects.filter(object_type="").order_by("id")
    sql("DELETE FROM core_auditevent WHERE id = %s", [first.pk])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--all", stdout=out)
    assert f"aggregate - event {second.pk}: link to the previous event" in out.getvalue()


def test_record_many_chains_in_order(db, district):
    region = district.street_a
    with transaction.atomic():
        audit.record_many([audit.build("a", obj=region), audit.build("b", obj=region)])
    first, second = AuditEvent.objects.filter(object_id=str(region.pk)).order_by("id")
    assert (first.verb, second.verb) == ("a", "b") and second.prev_hash == first.hash
    assert not list(chain.verify(AuditEvent))


def test_deleting_an_actor_would_rewrite_the_trail_and_is_refused(db, accounts):
    audit.record("account.changed", actor=accounts.administrator)
    with pytest.raises(ProtectedError):
        accounts.administrator.delete()


def test_heads_are_stable_and_change_with_the_chain(trail):
    text = run("heads", "--date", DAY.isoformat())
    assert text == run("heads", "--date", DAY.isoformat())
    lines = text.splitlines()
    last_a = AuditEvent.objects.filter(object_id=str(trail.street_a.pk)).latest("id")
    assert (
        f"core.auditevent directory.region:{trail.street_a.pk} {last_a.pk} {last_a.hash}" in lines
    )
    assert sum(line.startswith("core.auditevent ") for line in lines) == 3  # two objects, "-"
    assert lines[-1] == f"digest {chain.heads_digest(chain.heads(DAY))}"
    # Another day has nothing.
    assert run("heads", "--date", "2025-03-05").splitlines()[-1] == (
        f"digest {chain.heads_digest([])}"
    )

    # A chain rewritten with fresh hashes passes verify, but not the heads someone holds.
    event = AuditEvent.objects.get(pk=last_a.pk)
    event.data = {"n": 99}
    event.hash = chain.digest(event)
    sql(
        "UPDATE core_auditevent SET data = %s, hash = %s WHERE id = %s",
        ['{"n": 99}', event.hash, event.pk],
    )
    assert not list(chain.verify(AuditEvent))
    assert run("heads", "--date", DAY.isoformat()) != text

    # A new event that day moves the head too.
    before = run("heads", "--date", DAY.isoformat())
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        audit.record("region.changed", obj=trail.street_b)
    assert run("heads", "--date", DAY.isoformat()) != before


def test_heads_written_to_a_file(trail, tmp_path):
    target = tmp_path / "heads.txt"
    run("heads", "--date", DAY.isoformat(), "--output", str(target))
    assert target.read_text(encoding="utf-8") == run("heads", "--date", DAY.isoformat())


def test_heads_rejects_a_bad_date(db):
    with pytest.raises(CommandError):
        run("heads", "--date", "2025-13-01")


def test_the_daily_job_writes_each_missing_day_once(trail, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        assert "2025-03-04" in jobs.write_audit_heads()
        written = settings.VAR_DIR / "audit-heads" / "2025-03-04.txt"
        assert written.read_text(encoding="utf-8") == chain.heads_text(DAY)
        assert len(list((settings.VAR_DIR / "audit-heads").glob("*.txt"))) == 7
        # Once written, a day's file is what others may hold: never rewritten.
        audit.record("region.changed", obj=trail.street_a)
        assert jobs.write_audit_heads() == "heads up to date"
    assert "core.audit_heads" in [job.name for job in jobs.registered()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize("repeat", range(3))
def test_two_writers_of_one_chain_at_once(transactional_db, district, repeat):
    """Nothing locks a region while its audit events are written: the chain lock must."""
    region = Region.objects.get(pk=district.street_a.pk)

    def write(verb):
        def work():
            with transaction.atomic():
                return audit.record(verb, obj=region)

        return work

    results = race(*(write(f"region.touched{i}") for i in range(4)))
    assert not [r for r in results if isinstance(r, Exception)], results
    events = list(AuditEvent.objects.filter(object_id=str(region.pk)).order_by("id"))
    assert len(events) == 4
    assert [e.prev_hash for e in events] == ["", *(e.hash for e in events[:-1])]
    assert not list(chain.verify(AuditEvent))
