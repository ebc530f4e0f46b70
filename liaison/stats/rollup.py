"""The rollup: counting the case events into `CaseFigure` rows (docs/statistics.md).

The events are the source (docs/architecture.md). `update()` counts the events after the
high-water mark, in batches, and moves the mark in the same transaction, so a worker that dies
halfway loses nothing and counts nothing twice; `rebuild()` empties the table and counts everything
again. Both read a case's whole history up to the batch's last event and keep the contributions
of the new events only, so counting in batches gives exactly what counting at once gives.

What each event adds is decided by `case_contributions`, one walk through a case's events: the
plain counters (received, accepted, rated, …) and, where an event ends a step, the step's
outcome — due, on time, and the working days it took (a histogram bucket, from which the median
and 90th percentile are read). Everything after the first assignment is counted at the lead
department of the moment.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

from liaison.cases.models import Assignment, Case, CaseEvent, ReferralChannel
from liaison.workdays.deadlines import Calendar, local_day, working_days_between

from . import coarse, rebuild_sql
from .counted import MAX_BUCKET, PLAIN, SATISFIED, STEP_DAYS
from .models import NO_BUCKET, CaseFigure, RollupMark

SOURCE = "case_events"
BATCH = 5000


@dataclass(frozen=True)
class Contribution:
    event_id: int
    day: object  # date
    department_id: int
    metric: str
    bucket: int = NO_BUCKET


def _days(name: str) -> int:
    return int(getattr(settings, name))


class _Walk:
    """One case's events in order: the clocks of the steps under way."""

    def __init__(self, leads: list[Assignment], calendar: Calendar, referrals: dict[str, int]):
        self.leads = leads  # the case's lead assignments, in order: the nth for the nth assigned
        self.referrals = referrals  # referral channel code → id, the bucket of "referred_to"
        self.calendar = calendar
        self.assigned = 0
        self.department = 0
        self.lead: Assignment | None = None
        # step → (start, working days allowed, or None when the deadline is stored)
        self.started: dict[str, tuple[datetime, int | None]] = {}
        self.out: list[Contribution] = []

    def add(self, event: CaseEvent, metric: str, bucket: int = NO_BUCKET) -> None:
        self.out.append(
            Contribution(event.pk, local_day(event.created_at), self.department, metric, bucket)
        )

    def start(self, step: str, event: CaseEvent, days: int | None = None) -> None:
        self.started[step] = (event.created_at, days)

    def end(self, step: str, event: CaseEvent, due_at: datetime | None = None) -> None:
        begun = self.started.pop(step, None)
        if begun is None:
            return
        start, allowed = begun
        taken = max(working_days_between(start, event.created_at, calendar=self.calendar), 0)
        on_time = event.created_at <= due_at if due_at is not None else taken <= (allowed or 0)
        self.add(event, f"due.{step}")
        if on_time:
            self.add(event, f"ontime.{step}")
        self.add(event, f"wd.{step}", min(taken, MAX_BUCKET))

    def event(self, event: CaseEvent) -> None:
        verb, data = event.verb, event.data or {}
        role = data.get("role")
        if verb == "case.assigned":
            # Reassignment abandons the steps of the department that had it.
            self.started.pop("sign", None)
            self.started.pop("handle", None)
            if self.assigned < len(self.leads):
                self.lead = self.leads[self.assigned]
                self.department = self.lead.department_id
            self.assigned += 1
            if event.from_status != "to_assign":
                self.add(event, "reassigned")
            self.start("sign", event)
            self.start("handle", event)
        if verb in PLAIN:
            self.add(event, PLAIN[verb])
        if verb == "case.referred":
            self.add(event, "referred_to", self.referrals.get(data.get("referral"), NO_BUCKET))
        if verb == "case.submitted":
            self.start("review", event, _days(STEP_DAYS["review"]))
        elif verb == "case.supplemented":
            # The clock resumes with the working days left at the pause (at least one).
            self.start("review", event, max(int(data.get("days_left") or 0), 1))
        elif verb in {"case.accepted", "case.rejected", "case.referred", "case.merged"}:
            if event.from_status == "submitted":
                self.end("review", event)
            if verb == "case.accepted":
                self.start("reply", event, _days(STEP_DAYS["reply"]))
        elif verb == "case.replied":
            self.end("reply", event)
            if data.get("settled"):
                self.add(event, "settled")
                self.add(event, "answered")  # the deputy's reply is the answer
        elif verb == "case.signed" and role == "lead":
            self.add(event, "signed")
            self.end("sign", event, self.lead.sign_due_at if self.lead else None)
        elif verb == "case.returned" and role == "lead":
            self.add(event, "returned")
            self.started.pop("sign", None)
            self.started.pop("handle", None)
        elif verb == "case.reported" and role == "lead":
            self.add(event, "reported")
            self.end("handle", event, self.lead.report_due_at if self.lead else None)
            self.start("answer", event, _days(STEP_DAYS["answer"]))
        elif verb == "case.answered":
            self.end("answer", event)
        elif verb in {"case.rated", "case.rehandle_requested"}:
            self.add(event, "rated")
            if data.get("rating") in SATISFIED:
                self.add(event, "satisfied")
            if verb == "case.rated":
                self.add(event, "resolved")
            else:
                self.add(event, "rehandled")


def case_contributions(
    events: Iterable[CaseEvent],
    leads: list[Assignment],
    calendar: Calendar,
    referrals: dict[str, int] | None = None,
) -> list[Contribution]:
    """What each of one case's events (in order) adds to the rollup."""
    walk = _Walk(leads, calendar, referrals or {})
    for event in events:
        walk.event(event)
    return walk.out


def _contributions(after: int, upto: int) -> Iterator[tuple[Case, Contribution]]:
    """The contributions of the events with after < id ≤ upto, with their case."""
    case_ids = set(
        CaseEvent.objects.filter(pk__gt=after, pk__lte=upto).values_list("case_id", flat=True)
    )
    return _case_contributions(case_ids, after, upto)


def _case_contributions(
    case_ids: Iterable[int], after: int, upto: int
) -> Iterator[tuple[Case, Contribution]]:
    """The contributions of these cases' events with after < id ≤ upto, read from each case's
    whole history up to `upto`."""
    case_ids = set(case_ids)
    cases = Case.objects.in_bulk(case_ids)
    history: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in (
        CaseEvent.objects.filter(case_id__in=case_ids, pk__lte=upto)
        .only("pk", "case_id", "verb", "from_status", "data", "created_at")
        .order_by("pk")
    ):
        history[event.case_id].append(event)
    leads: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in Assignment.objects.filter(
        case_id__in=case_ids, role=Assignment.Role.LEAD
    ).order_by("pk"):
        leads[assignment.case_id].append(assignment)
    calendar = Calendar()
    referrals = dict(ReferralChannel.objects.values_list("code", "pk"))
    for case_id, events in history.items():
        for found in case_contributions(events, leads[case_id], calendar, referrals):
            if found.event_id > after:
                yield cases[case_id], found


KEY = (
    "day",
    "station_id",
    "deputy_id",
    "department_id",
    "category_id",
    "channel",
    "metric",
    "bucket",
)
UPSERT_ROWS = 1000  # rows per INSERT … ON CONFLICT statement


def _apply(found: Iterable[tuple[Case, Contribution]]) -> int:
    return _apply_fine(found, with_coarse=True)


def _apply_fine(found: Iterable[tuple[Case, Contribution]], *, with_coarse: bool = False) -> int:
    """Add the contributions to the rollup rows (with_coarse: and to the coarse rows, coarse.py):
    one multi-row upsert per `UPSERT_ROWS` keys (INSERT … ON CONFLICT DO UPDATE count = count +
    new, PostgreSQL and SQLite alike). One UPDATE-then-INSERT per key made the rebuild a round
    trip per row (bench/stats_scale.py)."""
    counts: dict[tuple, int] = defaultdict(int)
    paths: dict[int, str] = {}
    for case, c in found:
        key = (
            c.day,
            case.station_id,
            case.deputy_id or 0,
            c.department_id,
            case.category_id,
            case.channel,
            c.metric,
            c.bucket,
        )
        counts[key] += 1
        paths[case.station_id] = case.region_path
    if not counts:
        return 0
    table = connection.ops.quote_name(CaseFigure._meta.db_table)
    columns = [CaseFigure._meta.get_field(name).column for name in KEY]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    row = "(" + ", ".join(["%s"] * (len(KEY) + 2)) + ")"
    items = list(counts.items())
    with connection.cursor() as cursor:
        for first in range(0, len(items), UPSERT_ROWS):
            chunk = items[first : first + UPSERT_ROWS]
            params: list = []
            for key, n in chunk:
                params.extend(key)
                params.extend((paths[key[1]], n))
            cursor.execute(
                f"INSERT INTO {table} ({quoted}, region_path, count) "
                f"VALUES {', '.join([row] * len(chunk))} "
                f"ON CONFLICT ({quoted}) DO UPDATE SET count = {table}.count + excluded.count",
                params,
            )
    if with_coarse:  # the coarse rows the committee and public pages read, same transaction
        coarse.add(counts, paths)
    return len(counts)


def update(*, batch: int = BATCH, limit: int | None = None) -> int:
    """Count the events after the mark, one batch per transaction. Answers how many events."""
    counted = 0
    while limit is None or counted < limit:
        with transaction.atomic():
            mark, _ = RollupMark.objects.select_for_update().get_or_create(source=SOURCE)
            ids = list(
                CaseEvent.objects.filter(pk__gt=mark.last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                return counted
            _apply(_contributions(mark.last_id, ids[-1]))
            mark.last_id = ids[-1]
            mark.save(update_fields=["last_id", "updated_at"])
            counted += len(ids)
    return counted


def rebuild(*, batch: int = BATCH, walk: bool = False) -> int:
    """Empty the rollup and count every event again (after a change to what is counted).

    In one transaction: the dashboards see the old rows until the new ones are committed. On
    PostgreSQL the counting is set-based SQL (`rebuild_sql.fill`, the walk below written as window
    queries, proven equal to it by tests/stats/test_rebuild_sql.py); elsewhere (SQLite) it is the
    walk, case by case (and on PostgreSQL too with `walk=True`, for the comparison). What came
    after the start is counted by `update()` as usual."""
    with transaction.atomic():
        mark, _ = RollupMark.objects.select_for_update().get_or_create(source=SOURCE)
        upto = CaseEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        if connection.vendor == "postgresql" and not walk:
            rebuild_sql.fill(upto)  # a new table, swapped in
        else:
            CaseFigure.objects.all().delete()
            _fill_by_walk(upto, batch)
        # The coarse rows from the fine ones, at once (however the fine rows were counted).
        coarse.rebuild()
        mark.last_id = upto
        mark.save(update_fields=["last_id", "updated_at"])
        counted = CaseEvent.objects.filter(pk__lte=upto).count()
        return counted + update(batch=batch)


def _fill_by_walk(upto: int, batch: int = BATCH) -> None:
    """Count every event with id ≤ upto into an empty CaseFigure with the walk.

    Case by case rather than event batch by event batch: each case's history is read once
    (an event batch reads the whole history of every case it touches, about seven times the
    events it counts), in chunks of `batch // 5` cases."""
    size, last_case = max(batch // 5, 1), 0
    while True:
        chunk = list(
            Case.objects.filter(pk__gt=last_case).order_by("pk").values_list("pk", flat=True)[:size]
        )
        if not chunk:
            break
        _apply_fine(_case_contributions(chunk, 0, upto))
        last_case = chunk[-1]
