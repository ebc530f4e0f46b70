"""The hash chain over the event tables (docs/design.md, rule 13).

Every event row carries `hash`, the SHA-256 of a canonical JSON of its content and of `prev_hash`,
and `prev_hash`, the `hash` of the previous row of the same chain. A chain is one aggregate's
events: a case's `CaseEvent`s, a suggestion's `SuggestionEvent`s, the `AuditEvent`s of one object
(type and id); audit events without an object form one chain of their own. Order within a chain is
the row id. Editing a row breaks its own hash, deleting one breaks the link of the row after it;
cutting off the newest rows, or rewriting a chain with fresh hashes, shows against the daily heads
an outside party holds (`liaison audit heads`).

Rows written before the chain existed keep empty hashes: a chain starts at its first hashed row
(whose `prev_hash` is empty) and no unhashed row may follow a hashed one.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.apps import apps
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from .models import AuditEvent, TimelineEvent


def chained_models() -> list[type[models.Model]]:
    """The event tables with a chain: every concrete TimelineEvent, and AuditEvent."""
    timelines = [
        model
        for model in apps.get_models()
        if issubclass(model, TimelineEvent) and not model._meta.abstract
    ]
    return [*sorted(timelines, key=lambda model: model._meta.label_lower), AuditEvent]


def aggregate_fields(model: type[models.Model]) -> list[str]:
    """The columns that name a row's chain: the foreign key behind the aggregate's `events`."""
    if model is AuditEvent:
        return ["object_type", "object_id"]
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.is_relation and field.remote_field.related_name == "events"
    ]


def aggregate_of(event: models.Model) -> str:
    """The chain's name within its table, as reports and heads print it."""
    if isinstance(event, AuditEvent):
        return f"{event.object_type}:{event.object_id}" if event.object_type else "-"
    return str(getattr(event, aggregate_fields(type(event))[0]))


def _canonical(value):
    # What reads back from a JSON column, and the same on SQLite and PostgreSQL: jsonb gives
    # 1.0 back as 1 when the float is integral, so such floats count as integers.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


def content(event: models.Model) -> dict:
    """What the hash covers: every column a reader relies on, and the link to the previous row."""
    common = {
        "model": event._meta.label_lower,
        "verb": event.verb,
        "actor": event.actor_id,
        "data": _canonical(json.loads(json.dumps(event.data))),
        "created_at": event.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "prev": event.prev_hash,
    }
    if isinstance(event, AuditEvent):
        return common | {
            "object_type": event.object_type,
            "object_id": event.object_id,
            "object_repr": event.object_repr,
        }
    return common | {
        "aggregate": aggregate_of(event),
        "actor_label": event.actor_label,
        "from": event.from_status,
        "to": event.to_status,
        "note": event.note,
        "public": getattr(event, "is_public", None),
    }


def digest(event: models.Model) -> str:
    text = json.dumps(content(event), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _chain_of(event: models.Model) -> tuple:
    return tuple(getattr(event, name) for name in aggregate_fields(type(event)))


def _lock(model: type[models.Model], chains: list[tuple]) -> None:
    """Serialise the writers of each chain until their transaction ends, so that each reads the
    row the other wrote. Not every writer holds a row lock on the aggregate (an audit event of a
    directory entry, of a job, of nothing), hence a lock on the chain itself: one query for all,
    taken in a fixed order so that two writers of the same chains cannot deadlock. SQLite runs one
    writing transaction at a time (settings: transaction_mode IMMEDIATE) and needs none."""
    if connection.vendor != "postgresql":
        return
    keys = sorted(
        int.from_bytes(
            hashlib.sha256(f"{model._meta.label_lower}:{c}".encode()).digest()[:8],
            "big",
            signed=True,
        )
        for c in chains
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", [keys])


def _last_hashes(model: type[models.Model], chains: list[tuple]) -> dict[tuple, str]:
    """The hash of each chain's last row: one query per 500 chains (imports write thousands)."""
    *outer, inner = aggregate_fields(model)
    by_outer: dict[tuple, list] = {}
    for c in chains:
        by_outer.setdefault(c[:-1], []).append(c[-1])
    found: dict[tuple, str] = {}
    for prefix, values in by_outer.items():
        for at in range(0, len(values), 500):
            rows = model._base_manager.filter(
                **dict(zip(outer, prefix, strict=True)), **{f"{inner}__in": values[at : at + 500]}
            )
            last = rows.values(*outer, inner).annotate(last=Max("id")).values("last")
            for *key, hash_ in model._base_manager.filter(id__in=last).values_list(
                *outer, inner, "hash"
            ):
                found[tuple(key)] = hash_
    return found


def seal(events: Sequence[models.Model], *, new_chains: bool = False) -> None:
    """Give unsaved events, in this order, their time, `prev_hash` and `hash`. Call it inside the
    transaction that then inserts them in the same order; the chains stay locked until it ends.

    `new_chains=True`: the events' aggregates were inserted by this very transaction (a case
    just submitted), so their chains are empty and no other transaction can see them to write
    to them: no lock and no read of the last row (two round trips less on every submission)."""
    if not connection.in_atomic_block:
        raise RuntimeError("seal() needs a transaction: the chain lock lasts until it ends.")
    chains: dict[type[models.Model], dict[tuple, None]] = {}
    for event in events:
        chains.setdefault(type(event), {})[_chain_of(event)] = None
    last: dict[tuple, str] = {}
    for model, of_model in chains.items():
        if new_chains:
            last.update({(model, *c): "" for c in of_model})
            continue
        _lock(model, list(of_model))
        found = _last_hashes(model, list(of_model))
        last.update({(model, *c): found.get(c, "") for c in of_model})
    for event in events:
        key = (type(event), *_chain_of(event))
        # Taken under the lock, so that a chain's times rise with its ids.
        event.created_at = timezone.now()
        event.prev_hash = last[key]
        event.hash = last[key] = digest(event)


@dataclass(frozen=True)
class Break:
    """The first broken link of a chain."""

    model: str
    aggregate: str
    event_id: int
    problem: str
    expected: str
    found: str


def verify(model: type[models.Model], rows: models.QuerySet | None = None) -> Iterator[Break]:
    """Walk every chain of `model` (or those of `rows`, a filtered queryset of it) and yield the
    first broken link of each broken chain."""
    fields = aggregate_fields(model)
    rows = model._base_manager.all() if rows is None else rows
    current, previous, sealed, broken = None, "", False, False
    for event in rows.order_by(*fields, "id").iterator(chunk_size=2000):
        chain = tuple(getattr(event, name) for name in fields)
        if chain != current:
            current, previous, sealed, broken = chain, "", False, False
        if broken:
            continue
        problem = expected = found = None
        if not event.hash:
            if sealed:
                problem, expected, found = "unhashed event after hashed ones", "a hash", ""
        elif event.prev_hash != previous:
            # The row before it was deleted or changed its hash, or rows were put in between.
            problem, expected, found = "link to the previous event", previous, event.prev_hash
        elif (computed := digest(event)) != event.hash:
            problem, expected, found = "content changed", event.hash, computed
        if problem:
            broken = True
            yield Break(
                model._meta.label_lower, aggregate_of(event), event.pk, problem, expected, found
            )
            continue
        if event.hash:
            previous, sealed = event.hash, True


@dataclass(frozen=True)
class Head:
    model: str
    aggregate: str
    event_id: int
    hash: str

    def line(self) -> str:
        return f"{self.model} {self.aggregate} {self.event_id} {self.hash}"


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """A day in the site's time zone (TIME_ZONE), as the staff and the heads' holders count it."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def heads(day: date) -> list[Head]:
    """The last hash of every chain that grew on `day`, sorted."""
    start, end = day_bounds(day)
    found = []
    for model in chained_models():
        fields = aggregate_fields(model)
        last = (
            model._base_manager.filter(created_at__gte=start, created_at__lt=end)
            .exclude(hash="")
            .values(*fields)
            .annotate(last=Max("id"))
            .values("last")
        )
        for event in model._base_manager.filter(id__in=last):
            found.append(Head(model._meta.label_lower, aggregate_of(event), event.pk, event.hash))
    return sorted(found, key=lambda head: (head.model, head.aggregate))


def heads_digest(found: Iterable[Head]) -> str:
    """One hash over a day's heads, the short thing to hold (or to publish)."""
    return hashlib.sha256("\n".join(head.line() for head in found).encode()).hexdigest()


def heads_text(day: date) -> str:
    found = heads(day)
    lines = [
        f"# Liaison event chain heads of {day} ({timezone.get_current_timezone_name()})",
        "# model aggregate event-id hash",
        *(head.line() for head in found),
        f"digest {heads_digest(found)}",
    ]
    return "\n".join(lines) + "\n"
