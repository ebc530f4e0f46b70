"""The event tables and the outbox partitioned by month on PostgreSQL (core/partitions.py,
docs/scaling.md): what the migrations built, the `core.partitions` job that keeps months ahead
and drops the months the privacy policy lets go, and that the ORM's paths still work on them."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.utils import timezone

from liaison.cases.models import CaseEvent
from liaison.core import chain, jobs, partitions
from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification, Status
from liaison.notifications.services import claim_due, enqueue, insert_rows, prune_sent, sms_row
from liaison.suggestions.models import SuggestionEvent

from ..cases.conftest import Flow

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="native partitioning is PostgreSQL's; SQLite keeps plain tables (docs/scaling.md)",
)

EVENTS = CaseEvent._meta.db_table
OUTBOX = Notification._meta.db_table
TABLES = {EVENTS, SuggestionEvent._meta.db_table, OUTBOX}


@pytest.fixture
def flow(district, accounts):
    return Flow(district, accounts)


def rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def partition_of(model, pk) -> str:
    table = model._meta.db_table
    return rows(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])[0][0]


def children(table: str) -> set[str]:
    found = rows(
        "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = %s::regclass", [table]
    )
    return {name for (name,) in found}


def this_month() -> datetime:
    return partitions.month_start(timezone.now())


def test_the_three_tables_are_partitioned_by_month_of_created_at(db):
    found = rows(
        "SELECT c.relname, p.partstrat, a.attname FROM pg_partitioned_table p"
        " JOIN pg_class c ON c.oid = p.partrelid"
        " JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]"
    )
    assert {(name, strategy, key) for name, strategy, key in found} >= {
        (table, "r", "created_at") for table in TABLES
    }
    for table in TABLES:
        # This month and three ahead exist from the migration on, and the default partition.
        wanted = {
            partitions.partition_name(table, partitions.add_months(this_month(), n))
            for n in range(4)
        }
        assert wanted | {f"{table}_default"} <= children(table)
        # The partition key is in the primary key; Django still sees `id` as the primary key.
        (key,) = rows(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'p'",
            [table],
        )
        assert key == ("PRIMARY KEY (id, created_at)",)
    assert CaseEvent._meta.pk.name == "id" and Notification._meta.pk.name == "id"


def test_nothing_references_the_partitioned_tables_by_foreign_key(db):
    for table in TABLES:
        assert not rows(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND confrelid = %s::regclass",
            [table],
        )


def test_inserts_land_in_their_month(flow):
    case = flow.submit()
    event = CaseEvent.objects.filter(case=case).latest("id")
    note = enqueue("sms", "13812345678", "提醒", dedupe_key="month:1")
    month = this_month()
    assert partition_of(CaseEvent, event.pk) == partitions.partition_name(EVENTS, month)
    assert partition_of(Notification, note.pk) == partitions.partition_name(OUTBOX, month)
    # Reads by primary key and by case work as before.
    assert CaseEvent.objects.get(pk=event.pk).verb == event.verb
    assert Notification.objects.get(pk=note.pk).body == "提醒"


def test_a_month_without_partition_goes_to_default_and_the_job_gives_it_its_own(db):
    old = datetime(2019, 3, 14, 9, tzinfo=UTC)
    with time_machine.travel(old, tick=False):
        note = enqueue("sms", "13812345678", "旧的", dedupe_key="old:1")
    assert partition_of(Notification, note.pk) == f"{OUTBOX}_default"

    created, dropped = partitions.maintain()[OUTBOX]

    name = partitions.partition_name(OUTBOX, datetime(2019, 3, 1, tzinfo=UTC))
    assert created == [name] and dropped == []
    assert partition_of(Notification, note.pk) == name
    assert not rows(f"SELECT 1 FROM {OUTBOX}_default")


def test_the_job_creates_the_next_months_once(db):
    assert "core.partitions" in {job.name for job in jobs.registered()}
    # Two months on, the job adds months +4 and +5 (the migration made this one and 3 ahead).
    later = partitions.add_months(this_month(), 2) + timedelta(days=9)
    first = partitions.maintain(now=later)
    for table in TABLES:
        created, dropped = first[table]
        assert created == [
            partitions.partition_name(table, partitions.add_months(this_month(), n)) for n in (4, 5)
        ]
        assert dropped == []
    again = partitions.maintain(now=later)
    assert all(created == [] and dropped == [] for created, dropped in again.values())
    # And through the worker's job, which says what it did.
    assert "0 created, 0 dropped" in jobs.maintain_partitions()


def _sent(at: datetime, key: str, **fields) -> Notification:
    with time_machine.travel(at, tick=False):
        note = enqueue("sms", "13812345678", "已发", dedupe_key=key)
    Notification.objects.filter(pk=note.pk).update(
        status=fields.pop("status", Status.SENT), sent_at=at, **fields
    )
    return note


def test_retention_drops_a_month_whose_rows_are_all_past_the_rule_and_nothing_newer(db, settings):
    settings.NOTIFICATIONS_KEEP_DAYS = 90
    now = datetime(2026, 12, 4, 12, tzinfo=UTC)
    june, july, august = (datetime(2026, m, 1, tzinfo=UTC) for m in (6, 7, 8))
    for month in (june, july, august):
        partitions.create_month(OUTBOX, month)
    gone = _sent(june + timedelta(days=3), "june:1")
    _sent(june + timedelta(days=20), "june:2")
    kept_failed = _sent(july + timedelta(days=2), "july:1", status=Status.FAILED)
    _sent(july + timedelta(days=5), "july:2")
    # August ends before the cutoff (4 September) but a row was sent after it: not yet.
    late = _sent(august + timedelta(days=30), "august:1")
    Notification.objects.filter(pk=late.pk).update(sent_at=datetime(2026, 9, 20, tzinfo=UTC))
    audit_before = AuditEvent.objects.count()

    dropped = partitions.drop_expired(OUTBOX, now=now)

    assert dropped == [partitions.partition_name(OUTBOX, june)]
    assert partitions.partition_name(OUTBOX, june) not in children(OUTBOX)
    assert not Notification.objects.filter(pk=gone.pk).exists()
    assert Notification.objects.filter(pk__in=[kept_failed.pk, late.pk]).count() == 2
    assert {partitions.partition_name(OUTBOX, m) for m in (july, august)} <= children(OUTBOX)
    event = AuditEvent.objects.get(verb="partition.dropped")
    assert AuditEvent.objects.count() == audit_before + 1
    assert event.data["partition"] == partitions.partition_name(OUTBOX, june)
    assert event.data["rows"] == 2 and event.data["month"] == "2026-06"
    # The dropped rows' dedupe keys are free again, as after prune_sent's DELETE.
    assert enqueue("sms", "13812345678", "again", dedupe_key="june:1").pk != gone.pk
    # Run again: nothing more to drop.
    assert partitions.drop_expired(OUTBOX, now=now) == []


def test_event_months_are_never_dropped(flow):
    flow.submit()
    far = datetime(2040, 1, 1, tzinfo=UTC)
    assert partitions.drop_expired(EVENTS, now=far) == []
    assert partitions.drop_expired(SuggestionEvent._meta.db_table, now=far) == []
    assert partitions.partition_name(EVENTS, this_month()) in children(EVENTS)


def test_dedupe_holds_across_months_and_after_prune(db, settings):
    with time_machine.travel(datetime(2026, 10, 5, tzinfo=UTC), tick=False):
        first = enqueue("sms", "13812345678", "一", dedupe_key="k:across")
    # A later month's partition, a different partition: the key is still taken.
    again = enqueue("sms", "13812345678", "二", dedupe_key="k:across")
    assert again.pk == first.pk
    insert_rows(
        [
            sms_row(
                "13812345678", "case_received", {"number": "1", "url": "x"}, dedupe_key="k:across"
            )
        ]
    )
    assert Notification.objects.filter(dedupe_key="k:across").count() == 1
    # prune_sent's DELETE frees the key (trigger), as the unique index did.
    Notification.objects.filter(pk=first.pk).update(
        status=Status.SENT, sent_at=timezone.now() - timedelta(days=400)
    )
    settings.NOTIFICATIONS_KEEP_DAYS = 90
    assert prune_sent() == 1
    assert enqueue("sms", "13812345678", "三", dedupe_key="k:across").body == "三"


def test_the_worker_claims_due_rows_of_every_month(db):
    with time_machine.travel(datetime(2025, 1, 2, tzinfo=UTC), tick=False):
        old = enqueue("sms", "13812345678", "old")
    new = enqueue("sms", "13812345678", "new")
    assert partition_of(Notification, old.pk) != partition_of(Notification, new.pk)
    claimed = claim_due(limit=10)
    assert [n.pk for n in claimed] == [old.pk, new.pk]
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENDING}


def test_the_claim_skips_rows_another_worker_holds(transactional_db):
    """FOR UPDATE SKIP LOCKED on the partitioned table: a row locked by another transaction is
    passed over, not waited for."""
    with time_machine.travel(datetime(2025, 1, 2, tzinfo=UTC), tick=False):
        held = enqueue("sms", "13812345678", "held")
    free = enqueue("sms", "13812345678", "free")
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        assert [n.pk for n in claim_due(limit=10)] == [free.pk]
    finally:
        release.set()
        thread.join(timeout=30)
    assert [n.pk for n in claim_due(limit=10)] == [held.pk]


def test_tampering_with_a_partitioned_event_table_is_still_caught(flow):
    """Rule 13's guard is the hash chain (there are no triggers forbidding UPDATE/DELETE: the
    chain tests tamper on purpose); on the partitioned table it finds an edit and a deletion."""
    case = flow.submit()
    flow.submit()
    events = list(CaseEvent.objects.filter(case=case).order_by("id"))
    assert not list(chain.verify(CaseEvent, CaseEvent.objects.filter(case=case)))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevent SET note = 'forged' WHERE id = %s", [events[0].pk])
    assert [b.event_id for b in chain.verify(CaseEvent, CaseEvent.objects.filter(case=case))] == [
        events[0].pk
    ]


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        # Tiny test tables are cheaper to scan than to probe: forbid the scan to see which
        # index the planner would use, and which partitions it keeps.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(line for (line,) in cursor.fetchall())


def test_queries_by_case_use_the_index_and_prune_months(flow):
    case = flow.submit()
    old = datetime(2024, 2, 1, tzinfo=UTC)
    partitions.create_month(EVENTS, old)
    month = this_month()

    by_case = _plan(CaseEvent.objects.filter(case=case).order_by("created_at", "id"))
    assert "Seq Scan" not in by_case and "case_id" in by_case

    recent = _plan(CaseEvent.objects.filter(case=case, created_at__gte=month))
    assert partitions.partition_name(EVENTS, month) in recent
    assert partitions.partition_name(EVENTS, old) not in recent  # pruned
    assert partitions.partition_name(EVENTS, old) in by_case  # not pruned without created_at
    assert "Seq Scan" not in recent


def _scratch(name: str, rows: int, extra: str = "") -> None:
    """A plain table shaped like an event table before its migration, with `rows` rows over the
    past months."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {name} (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
            " created_at timestamptz NOT NULL, actor_id bigint REFERENCES accounts_user (id),"
            f" verb varchar(48) NOT NULL CHECK (verb <> '') {extra})"
        )
        cursor.execute(f"CREATE INDEX {name}_verb ON {name} (verb, created_at)")
        cursor.execute(
            f"INSERT INTO {name} (created_at, verb) SELECT now() - g * interval '10 days', 'v'"
            " FROM generate_series(0, %s - 1) g",
            [rows],
        )


def test_the_conversion_moves_existing_rows_and_keeps_names_and_sequence(db):
    _scratch("scratch_events", 40)
    before = rows("SELECT id, created_at FROM scratch_events ORDER BY id")
    with connection.schema_editor(atomic=False) as editor:
        partitions.convert_to_monthly(editor, "scratch_events")

    assert rows("SELECT id, created_at FROM scratch_events ORDER BY id") == before
    placed = rows("SELECT created_at, tableoid::regclass::text FROM scratch_events")
    assert all(
        part == partitions.partition_name("scratch_events", partitions.month_start(at))
        for at, part in placed
    )
    assert not rows("SELECT 1 FROM scratch_events_default")
    oldest = partitions.month_start(min(at for _, at in before))
    assert min(partitions.months("scratch_events")) == oldest
    names = {
        name
        for (name,) in rows("SELECT indexname FROM pg_indexes WHERE tablename = 'scratch_events'")
    }
    assert {"scratch_events_pkey", "scratch_events_verb"} <= names
    (fks,) = rows(
        "SELECT count(*) FROM pg_constraint WHERE conrelid = 'scratch_events'::regclass"
        " AND contype = 'f'"
    )
    assert fks == (1,)
    with connection.cursor() as cursor:
        # The identity sequence goes on after the highest id, under its old name.
        cursor.execute(
            "INSERT INTO scratch_events (created_at, verb) VALUES (now(), 'w') RETURNING id"
        )
        assert cursor.fetchone()[0] == 41
        assert rows("SELECT pg_get_serial_sequence('scratch_events', 'id')") == [
            ("public.scratch_events_id_seq",)
        ]
        with pytest.raises(Exception, match="violates check constraint"), transaction.atomic():
            cursor.execute("INSERT INTO scratch_events (created_at, verb) VALUES (now(), '')")


def test_the_conversion_refuses_a_unique_index_without_the_key_and_changes_nothing(db):
    _scratch("scratch_unique", 3, extra=", code varchar(10) UNIQUE")
    with (
        pytest.raises(RuntimeError, match="unique index scratch_unique_code_key"),
        transaction.atomic(),
        connection.schema_editor(atomic=False) as editor,
    ):
        partitions.convert_to_monthly(editor, "scratch_unique")
    assert not rows(
        "SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'scratch_unique'::regclass"
    )
    assert rows("SELECT count(*) FROM scratch_unique") == [(3,)]


def test_the_conversion_refuses_a_table_that_is_referenced(db):
    _scratch("scratch_parent", 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE scratch_child (id bigint PRIMARY KEY,"
            " event_id bigint REFERENCES scratch_parent (id))"
        )
    with (
        pytest.raises(RuntimeError, match="referenced by a foreign key"),
        transaction.atomic(),
        connection.schema_editor(atomic=False) as editor,
    ):
        partitions.convert_to_monthly(editor, "scratch_parent")
    assert not rows(
        "SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'scratch_parent'::regclass"
    )
