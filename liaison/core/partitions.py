"""Monthly partitions of the biggest append-only tables, on PostgreSQL only (docs/scaling.md).

The event tables (`cases_caseevent`, `suggestions_suggestionevent`) and the notification outbox
are natively partitioned by RANGE of `created_at`, one partition a month (UTC months), named
`<table>_pYYYY_MM`, plus `<table>_default` so that an insert never fails for want of a month.
The migrations that convert a table call `convert_to_monthly`; SQLite keeps plain tables and no
ORM code knows the difference.

The periodic job `core.partitions` (`maintain`) keeps `AHEAD_MONTHS` months ready ahead of time,
moves rows that landed in the default partition into their month, and drops a month whose rows
are all past the privacy policy's retention for that table (`register_retention`; an app with a
rule registers it, core imports no app: docs/design.md, rule 11). A table without a rule keeps
every month for ever — the event tables, whose hash chains must stay whole (docs/privacy.md).

Why plain SQL rather than pg_partman: three tables, one granularity, and a job runner that
already exists; pg_partman would be a server extension that every deployment (and CI) must
install before the migration may run, for what is ~150 lines here.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction
from django.utils import timezone

from . import audit

AHEAD_MONTHS = 3
# DDL waits at most this long for its lock, so that a long query on the table makes the job try
# again at its next run instead of queueing every reader and writer behind the DDL.
LOCK_TIMEOUT = "5s"
_MONTH = re.compile(r"_p(\d{4})_(\d{2})$")


@dataclass(frozen=True)
class Retention:
    """The privacy policy's rule for one partitioned table.

    `cutoff(now)`: rows created before it may be past their period. `must_stay(start, end, cutoff)`:
    whether the month [start, end) still holds a row the rule keeps (a query that prunes to that
    month's partition). A month is dropped only when its end is before the cutoff and nothing in
    it must stay; `after_drop(start, end)` then tidies what lives beside the table."""

    cutoff: Callable[[datetime], datetime]
    must_stay: Callable[[datetime, datetime, datetime], bool]
    after_drop: Callable[[datetime, datetime], None] | None = None


_retention: dict[str, Retention] = {}


def register_retention(table: str, rule: Retention) -> None:
    _retention[table] = rule


def month_start(at: datetime) -> datetime:
    at = at.astimezone(UTC)
    return datetime(at.year, at.month, 1, tzinfo=UTC)


def add_months(start: datetime, months: int) -> datetime:
    index = start.year * 12 + start.month - 1 + months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def partition_name(table: str, start: datetime) -> str:
    return f"{table}_p{start.year:04d}_{start.month:02d}"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _literal(at: datetime) -> str:
    # Computed here from a datetime, never from input: safe to put into DDL, which takes no
    # parameters.
    return "'" + at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00") + "'"


def is_postgresql(conn=connection) -> bool:
    return conn.vendor == "postgresql"


def partitioned_tables() -> list[str]:
    """The tables of this database that are partitioned (by the migrations)."""
    if not is_postgresql():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
            " WHERE pg_table_is_visible(c.oid) ORDER BY 1"
        )
        return [name for (name,) in cursor.fetchall()]


def months(table: str) -> dict[datetime, str]:
    """The monthly partitions of `table`: month start → partition name (the default is not one)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = %s::regclass",
            [table],
        )
        found = {}
        for (name,) in cursor.fetchall():
            match = _MONTH.search(name)
            if match and name == partition_name(table, _month(match)):
                found[_month(match)] = name
        return found


def _month(match: re.Match) -> datetime:
    return datetime(int(match[1]), int(match[2]), 1, tzinfo=UTC)


def create_month(table: str, start: datetime) -> bool:
    """Create the partition of the month that begins at `start`, unless it exists. Rows of that
    month waiting in the default partition move into it. Returns whether it was created.

    LIKE + ATTACH rather than CREATE TABLE … PARTITION OF: ATTACH takes only a SHARE UPDATE
    EXCLUSIVE lock on the parent, so reads and writes of the table go on meanwhile (the default
    partition is locked while it is checked for rows of the new month; it is nearly empty)."""
    name = partition_name(table, start)
    end = add_months(start, 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if cursor.fetchone()[0]:
            return False
        cursor.execute(
            f"CREATE TABLE {_q(name)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        default = f"{table}_default"
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [default])
        if cursor.fetchone()[0]:
            cursor.execute(
                f"WITH moved AS (DELETE FROM {_q(default)} WHERE created_at >= {_literal(start)}"
                f" AND created_at < {_literal(end)} RETURNING *)"
                f" INSERT INTO {_q(name)} SELECT * FROM moved"
            )
        cursor.execute(
            f"ALTER TABLE {_q(table)} ATTACH PARTITION {_q(name)}"
            f" FOR VALUES FROM ({_literal(start)}) TO ({_literal(end)})"
        )
    return True


def _months_in_default(table: str) -> list[datetime]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')"
            f" FROM {_q(table + '_default')}"
        )
        return sorted(month.replace(tzinfo=UTC) for (month,) in cursor.fetchall())


def ensure_months(
    table: str,
    now: datetime | None = None,
    ahead: int = AHEAD_MONTHS,
    since: datetime | None = None,
) -> list[str]:
    """This month's and the next `ahead` months' partitions, one for every month that has rows in
    the default partition, and with `since` every month from then on (a bulk load of old rows
    makes its months first, so that nothing is moved out of the default partition afterwards).
    Idempotent; PostgreSQL only (elsewhere nothing). Returns the names created."""
    if not is_postgresql():
        return []
    this_month = month_start(now or timezone.now())
    wanted = {add_months(this_month, n) for n in range(ahead + 1)}
    if since is not None:
        month = month_start(since)
        while month < this_month:
            wanted.add(month)
            month = add_months(month, 1)
    wanted.update(_months_in_default(table))
    existing = months(table)
    return [
        partition_name(table, start)
        for start in sorted(wanted - existing.keys())
        if create_month(table, start)
    ]


def drop_expired(table: str, now: datetime | None = None) -> list[str]:
    """Drop the months of `table` that the privacy policy lets go entirely (its `Retention`),
    each recorded in the audit trail. No rule: nothing is dropped. Returns the names dropped."""
    rule = _retention.get(table)
    if rule is None:
        return []
    cutoff = rule.cutoff(now or timezone.now())
    dropped = []
    for start, name in sorted(months(table).items()):
        end = add_months(start, 1)
        if end > cutoff:
            break
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            # Lock the month first, so that no row in it changes between the check and the drop.
            cursor.execute(f"LOCK TABLE {_q(name)} IN SHARE MODE")
            if rule.must_stay(start, end, cutoff):
                continue
            cursor.execute(f"SELECT count(*) FROM {_q(name)}")
            (rows,) = cursor.fetchone()
            cursor.execute(f"DROP TABLE {_q(name)}")
            if rule.after_drop:
                rule.after_drop(start, end)
            audit.record(
                "partition.dropped",
                table=table,
                partition=name,
                month=start.strftime("%Y-%m"),
                rows=rows,
                cutoff=cutoff.isoformat(),
            )
        dropped.append(name)
    return dropped


def maintain(now: datetime | None = None) -> dict[str, tuple[list[str], list[str]]]:
    """The `core.partitions` job: for each partitioned table, (created, dropped)."""
    return {
        table: (ensure_months(table, now), drop_expired(table, now))
        for table in partitioned_tables()
    }


# The migrations' part ------------------------------------------------------------------------


def convert_to_monthly(schema_editor, table: str, *, unique_to_plain: tuple[str, ...] = ()):
    """Turn the plain table `table` into one partitioned by month of `created_at`, keeping its
    name, columns, identity sequence, indexes (same names), check constraints and foreign keys,
    and moving its rows. PostgreSQL only; elsewhere nothing happens.

    The primary key becomes (id, created_at): a partitioned table's unique indexes must contain
    the partition key. `id` stays unique in practice — it comes from one identity sequence — and
    Django keeps `id` as the model's primary key. Unique constraints named in `unique_to_plain`
    cannot include the key and become plain indexes (their uniqueness is then the caller's
    affair, see the outbox's dedupe table). Nothing may reference `table` by foreign key.

    The whole conversion holds an ACCESS EXCLUSIVE lock on the table (the migration's
    transaction): writers and readers of that table wait until it commits."""
    if schema_editor.connection.vendor != "postgresql":
        return
    old = f"{table}__unpartitioned"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = %s::regclass",
            [table],
        )
        if cursor.fetchone()[0]:
            raise RuntimeError(f"{table} is referenced by a foreign key: it cannot be partitioned.")
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), i.indisunique,"
            " c.conname IS NOT NULL FROM pg_index i"
            " LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid"
            " WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition, unique, _is_constraint in indexes:
            if unique and name not in unique_to_plain:
                raise RuntimeError(f"{table}: unique index {name} does not include created_at.")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
            [table],
        )
        (primary_key,) = cursor.fetchone()
        cursor.execute(
            "SELECT min(created_at), pg_get_serial_sequence(%s, 'id') FROM " + _q(table), [table]
        )
        oldest, sequence = cursor.fetchone()

        # Free the names (indexes and index-backed constraints are schema-wide) for the new table.
        cursor.execute(f"ALTER TABLE {_q(table)} RENAME TO {_q(old)}")
        for name, _definition, _unique, is_constraint in indexes:
            if is_constraint:
                cursor.execute(f"ALTER TABLE {_q(old)} DROP CONSTRAINT {_q(name)}")
            else:
                cursor.execute(f"DROP INDEX {_q(name)}")
        cursor.execute(f"ALTER TABLE {_q(old)} DROP CONSTRAINT {_q(primary_key)}")

        cursor.execute(
            f"CREATE TABLE {_q(table)} (LIKE {_q(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
            " INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS)"
            " PARTITION BY RANGE (created_at)"
        )
        cursor.execute(
            f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(primary_key)} PRIMARY KEY (id, created_at)"
        )
        cursor.execute(f"CREATE TABLE {_q(table + '_default')} PARTITION OF {_q(table)} DEFAULT")
        first = month_start(oldest or timezone.now())
        last = add_months(month_start(timezone.now()), AHEAD_MONTHS)
        start = first
        while start <= last:
            name = partition_name(table, start)
            cursor.execute(
                f"CREATE TABLE {_q(name)} PARTITION OF {_q(table)} FOR VALUES FROM"
                f" ({_literal(start)}) TO ({_literal(add_months(start, 1))})"
            )
            start = add_months(start, 1)

        cursor.execute(f"INSERT INTO {_q(table)} SELECT * FROM {_q(old)}")
        if sequence:
            # The identity sequence of the new table continues where the old one stood.
            new_sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(
                f"SELECT setval({new_sequence}, greatest(max(id), 1), max(id) IS NOT NULL)"
                f" FROM {_q(table)}"
            )
        # Indexes after the copy (faster), created on the parent: every partition gets its own.
        for _name, definition, _unique, _is_constraint in indexes:
            definition = definition.replace(" UNIQUE INDEX ", " INDEX ")
            definition = re.sub(r" ON (ONLY )?\S+ ", f" ON {_q(table)} ", definition, count=1)
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        cursor.execute(f"DROP TABLE {_q(old)}")
        if sequence:
            # LIKE … INCLUDING IDENTITY made a new sequence (`…_id_seq1`): give it the old name.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (current,) = cursor.fetchone()
            if current != sequence:
                bare = sequence.rsplit(".", 1)[-1].strip('"')
                cursor.execute(f"ALTER SEQUENCE {current} RENAME TO {_q(bare)}")
