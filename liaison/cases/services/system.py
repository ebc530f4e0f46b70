"""What no person does: closing unrated cases, recomputing deadlines, configuration rows."""

from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from liaison.core.permissions import require
from liaison.workdays.deadlines import Calendar, add_working_days

from ..models import (
    ACTIVE_ASSIGNMENT_STATES,
    Assignment,
    Case,
    CaseEvent,
    ReferralChannel,
)
from ..workflow import MACHINE, Action, Status
from .mechanics import DUE_FIELDS, NOT_YOURS, _finish, _save, _set_due, case_event, days

# --- the system --------------------------------------------------------------------------------


def auto_close_unrated(now: datetime | None = None) -> int:
    """Close answered cases whose rating period is over. Idempotent: each case is re-read under
    its lock, and one that was rated or closed meanwhile is left alone."""
    now = now or timezone.now()
    closed = 0
    candidates = Case.objects.filter(status=Status.ANSWERED, due_at__lt=now).values_list(
        "pk", flat=True
    )
    for pk in list(candidates):
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=pk)
            if locked.status != Status.ANSWERED or not locked.due_at or locked.due_at >= now:
                continue
            to = MACHINE.target(locked.status, Action.AUTO_CLOSE)
            from_status = locked.status
            fields = _finish(locked, to, now)
            _save(locked, *fields)
            with translation.override(settings.LANGUAGE_CODE):
                label = gettext("System")
            case_event(locked, "case.auto_closed", actor=None, from_status=from_status, label=label)
            closed += 1
    return closed


# Open cases a batch of the set-based recomputation locks and rewrites in one transaction.
RECOMPUTE_BATCH = 5000


def _deadline_candidates(years: set[int]):
    """Open cases whose counted days can reach into `years` (what both paths below recompute)."""
    first, last = min(years), max(years)
    return Case.objects.open().filter(
        due_from__isnull=False,
        due_days__isnull=False,
        due_from__year__lte=last,
        due_at__year__gte=first,
    )


def recalculate_deadlines(
    years: set[int], actor=None, *, batch: int = RECOMPUTE_BATCH, workers: int | None = None
) -> int:
    """After a year's holiday schedule changed: recompute every open deadline whose counted days
    reach into `years` (a workdays recalculator). One event per case that changed.

    Set-based (issue 17, docs/workdays.md "Recomputing at scale"): the calendar becomes two small
    tables (workdays/sql.py) and each batch of `batch` cases, taken in id order with
    `FOR UPDATE SKIP LOCKED`, is two `UPDATE … FROM … RETURNING` (the assignments, then the
    cases) and one multi-row insert of the events, sealed into their chains. A case another
    transaction holds locked is skipped by its batch and done afterwards by the per-case path,
    which waits for the lock and re-reads the row: no concurrent action is lost or overwritten.
    Gives the same rows and events as `recalculate_deadlines_per_case` (property-tested).

    On PostgreSQL, outside a transaction, the id range is cut into `workers` slices
    (LIAISON_RECOMPUTE_WORKERS) done at once on their own connections: the cases, their locks
    and their chains are disjoint. Inside a transaction (a caller's, or a test's) one connection
    does it all, since another would not see the caller's uncommitted rows."""
    from django.db.models import Max, Min

    if not years:
        return 0
    candidates = _deadline_candidates(years)
    cases = candidates.aggregate(
        lo=Min("due_from"), hi=Max("due_from"), n=Max("due_days"), first=Min("pk"), last=Max("pk")
    )
    if cases["lo"] is None:
        return 0
    assigned = Assignment.objects.filter(
        case__in=candidates, state__in=ACTIVE_ASSIGNMENT_STATES
    ).aggregate(lo=Min("created_at"), hi=Max("created_at"), n=Max("report_days"))
    starts = [v for v in (cases["lo"], cases["hi"], assigned["lo"], assigned["hi"]) if v]
    local = [timezone.localtime(v).date() for v in starts]
    most = max(cases["n"] or 0, assigned["n"] or 0, days("CASE_SIGN_DAYS"), 1)
    span = (min(local), max(local), most)
    if workers is None:
        workers = settings.LIAISON_RECOMPUTE_WORKERS
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
    slices = _slices(cases["first"], cases["last"], workers if parallel else 1)
    if len(slices) == 1:
        done = [_recompute_range(candidates, *slices[0], span, years, actor, batch)]
    else:
        done = _in_threads(candidates, slices, span, years, actor, batch)
    changed = sum(count for count, _skipped in done)
    calendar = Calendar()
    for pk in sorted(pk for _count, skipped in done for pk in skipped):
        changed += _recalculate_case(pk, years, actor, calendar)
    return changed


def _slices(first: int, last: int, count: int) -> list[tuple[int, int]]:
    """`count` contiguous id ranges (after, up to] covering first..last."""
    count = max(1, min(count, last - first + 1))
    step = -(-(last - first + 1) // count)
    return [(first - 1 + i * step, min(first - 1 + (i + 1) * step, last)) for i in range(count)]


def _in_threads(candidates, slices, span, years, actor, batch) -> list[tuple[int, list[int]]]:
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run(bounds):
        try:
            return _recompute_range(candidates, *bounds, span, years, actor, batch)
        finally:
            connections.close_all()  # this thread's connection, not the caller's

    with ThreadPoolExecutor(max_workers=len(slices)) as pool:
        return list(pool.map(run, slices))


def _recompute_range(candidates, after, last, span, years, actor, batch):
    """The batches of the cases with ids in (after, last], on this thread's connection:
    (how many changed, the ids skipped because another transaction held them locked)."""
    from liaison.workdays.sql import WorkdayTables

    candidates = candidates.filter(pk__lte=last)
    postgres = connection.vendor == "postgresql"
    changed, skipped = 0, []
    with WorkdayTables(*span) as tables:
        while True:
            with transaction.atomic():
                locked = list(
                    candidates.filter(pk__gt=after)
                    .order_by("pk")
                    .select_for_update(skip_locked=True)
                    .values_list("pk", "status", "due_at")[:batch]
                )
                rest = candidates.filter(pk__gt=after)
                if locked:
                    rest = rest.filter(pk__lte=locked[-1][0])
                if postgres:  # SQLite writes one transaction at a time: nothing is skipped
                    mine = {row[0] for row in locked}
                    skipped += [pk for pk in rest.values_list("pk", flat=True) if pk not in mine]
                if not locked:
                    break
                after = locked[-1][0]
                changed += _recompute_batch(locked, tables, years, actor)
    return changed, skipped


def _recompute_batch(locked: list[tuple], tables, years: set[int], actor) -> int:
    if connection.vendor == "postgresql":
        return _recompute_batch_postgresql(locked, years, actor)
    return _recompute_batch_python(locked, tables, years, actor)


# The canonical JSON of core/chain.py's `content()` of a recompute event, built in SQL: the keys
# in sorted order, `json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",", ":"))`
# spelled out (to_json escapes strings as json.dumps does with ensure_ascii=False). `verify()`
# recomputes every hash in Python, and the property test runs it on what this writes.
_BEFORE = """to_char(w.due_before AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
    || CASE WHEN extract(microseconds FROM w.due_before)::bigint %% 1000000 = 0 THEN ''
            ELSE to_char(w.due_before AT TIME ZONE 'UTC', '.US') END || '+00:00'"""
_DATA = f"""'{{"assignments":[' || coalesce(w.moved, '') || '],"due_after":'
    || to_json(w.due_after)::text
    || ',"due_before":' || to_json(CASE WHEN w.due_before IS NULL THEN ''
                                        ELSE {_BEFORE} END)::text
    || ',"provisional":' || CASE WHEN w.provisional THEN 'true' ELSE 'false' END
    || ',"years":[' || %(years)s || ']}}'"""
_CONTENT = f"""'{{"actor":' || coalesce(%(actor)s::text, 'null')
    || ',"actor_label":' || to_json(%(label)s::text)::text
    || ',"aggregate":"' || w.id || '","created_at":"'
    || to_char(%(now)s::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    || '","data":' || {_DATA} || ',"from":' || to_json(w.status)::text
    || ',"model":"cases.caseevent","note":"","prev":' || to_json(coalesce(p.hash, ''))::text
    || ',"public":true,"to":' || to_json(w.status)::text
    || ',"verb":"case.deadline_recomputed"}}'"""
# core/chain.py `_lock`'s key of a case's chain: the first 8 bytes of SHA-256, signed.
_CHAIN_KEY = (
    "('x' || left(encode(sha256(convert_to('cases.caseevent:(' || {id} || ',)', 'UTF8')), "
    "'hex'), 16))::bit(64)::bigint"
)


def _recompute_batch_postgresql(locked: list[tuple], years: set[int], actor) -> int:
    """The whole batch in three statements: both UPDATEs in one (their changes into a temporary
    table), the chains' advisory locks in key order, the events by INSERT … SELECT with their
    hashes computed by PostgreSQL."""
    from liaison.core.events import signed_in
    from liaison.workdays.sql import DAY_TABLE, ORD_TABLE, local_date_sql

    from .. import page_cache

    ids = [row[0] for row in locked]
    a_table, c_table, e_table = (
        Assignment._meta.db_table,
        Case._meta.db_table,
        CaseEvent._meta.db_table,
    )
    with translation.override(settings.LANGUAGE_CODE):
        label = gettext("System")
    params = {
        "ids": ids,
        "now": timezone.now(),
        "states": sorted(ACTIVE_ASSIGNMENT_STATES),
        "sign_days": days("CASE_SIGN_DAYS"),
        "years": ",".join(str(year) for year in sorted(years)),
        "actor": actor.pk if signed_in(actor) else None,
        "label": label,
    }
    with connection.cursor() as cursor:
        # The planner misjudges the events per case and would spend more time compiling the
        # statements (JIT) than running them: measured, JIT was 470 of a batch's 640 ms.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            """CREATE TEMPORARY TABLE IF NOT EXISTS liaison_wd_changed (id bigint PRIMARY KEY,
                   status varchar(16), due_before timestamptz, due_after text,
                   provisional boolean, moved text)"""
        )
        cursor.execute("TRUNCATE liaison_wd_changed")
        cursor.execute(
            f"""WITH moved AS (
                    UPDATE {a_table} a SET sign_due_at = os.due_at, report_due_at = orp.due_at,
                        updated_at = %(now)s
                    FROM {DAY_TABLE} d, {ORD_TABLE} os, {ORD_TABLE} orp
                    WHERE a.case_id = ANY(%(ids)s) AND a.state = ANY(%(states)s)
                      AND d.day = {local_date_sql("a.created_at")}
                      AND os.ord = d.ord + %(sign_days)s AND orp.ord = d.ord + a.report_days
                      AND (a.sign_due_at IS DISTINCT FROM os.due_at
                           OR a.report_due_at IS DISTINCT FROM orp.due_at)
                    RETURNING a.id, a.case_id, a.round, a.role
                ), by_case AS (
                    SELECT case_id, string_agg(id::text, ',' ORDER BY round, role, id) AS ids
                    FROM moved GROUP BY case_id
                ), changed AS (
                    UPDATE {c_table} c SET due_at = o.due_at,
                        due_provisional = (o.mc > d.mb), updated_at = %(now)s
                    FROM {c_table} old
                    JOIN {DAY_TABLE} d ON d.day = {local_date_sql("old.due_from")}
                    JOIN {ORD_TABLE} o ON o.ord = d.ord + old.due_days
                    LEFT JOIN by_case m ON m.case_id = old.id
                    WHERE c.id = ANY(%(ids)s) AND old.id = c.id
                      AND (old.due_at IS DISTINCT FROM o.due_at
                           OR old.due_provisional <> (o.mc > d.mb) OR m.case_id IS NOT NULL)
                    RETURNING c.id, c.status, old.due_at, o.iso, c.due_provisional, m.ids
                )
                INSERT INTO liaison_wd_changed SELECT * FROM changed""",
            params,
        )
        if not cursor.rowcount:
            return 0
        cursor.execute(
            f"""SELECT count(pg_advisory_xact_lock(k)) FROM (
                    SELECT {_CHAIN_KEY.format(id="id")} AS k FROM liaison_wd_changed ORDER BY k
                ) keys"""
        )
        params["now"] = timezone.now()  # under the chains' locks, as chain.seal() takes it
        cursor.execute(
            f"""INSERT INTO {e_table} (case_id, created_at, actor_id, actor_label, verb,
                    from_status, to_status, note, data, is_public, prev_hash, hash)
                SELECT w.id, %(now)s, %(actor)s, %(label)s, 'case.deadline_recomputed',
                    w.status, w.status, '', ({_DATA})::jsonb, true, coalesce(p.hash, ''),
                    encode(sha256(convert_to({_CONTENT}, 'UTF8')), 'hex')
                FROM liaison_wd_changed w
                LEFT JOIN LATERAL (
                    -- "+ 0": through the case's index, never a backward walk of the primary key
                    SELECT hash FROM {e_table} e WHERE e.case_id = w.id
                    ORDER BY e.id + 0 DESC LIMIT 1
                ) p ON true
                ORDER BY w.id
                RETURNING case_id""",
            params,
        )
        changed = [row[0] for row in cursor.fetchall()]
    page_cache.bump_many(changed)
    return len(changed)


def _recompute_batch_python(locked: list[tuple], tables, years: set[int], actor) -> int:
    """Rewrite the deadlines of the locked cases `(pk, status, due_at)` that move; their events."""
    from liaison.core import chain
    from liaison.core.events import signed_in
    from liaison.workdays.sql import DAY_TABLE, ORD_TABLE, id_in_sql, ids_param, local_date_sql

    from .. import page_cache

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    ids = ids_param(row[0] for row in locked)
    a_table, c_table = Assignment._meta.db_table, Case._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {a_table} SET sign_due_at = os.due_at, report_due_at = orp.due_at,
                    updated_at = %s
                FROM {DAY_TABLE} d, {ORD_TABLE} os, {ORD_TABLE} orp
                WHERE {id_in_sql(f"{a_table}.case_id")} AND {a_table}.state IN (%s, %s)
                  AND d.day = {local_date_sql(f"{a_table}.created_at")}
                  AND os.ord = d.ord + %s AND orp.ord = d.ord + {a_table}.report_days
                  AND ({a_table}.sign_due_at IS NULL OR {a_table}.sign_due_at <> os.due_at
                       OR {a_table}.report_due_at IS NULL
                       OR {a_table}.report_due_at <> orp.due_at)
                RETURNING {a_table}.id, {a_table}.case_id, {a_table}.round, {a_table}.role""",
            [now, ids, *sorted(ACTIVE_ASSIGNMENT_STATES), days("CASE_SIGN_DAYS")],
        )
        moved: dict[int, list[tuple]] = {}
        for pk, case_id, round_, role in cursor.fetchall():
            moved.setdefault(case_id, []).append((round_, role, pk))
        cursor.execute(
            f"""UPDATE {c_table} SET due_at = o.due_at, due_provisional = (o.mc > d.mb),
                    updated_at = %s
                FROM {DAY_TABLE} d, {ORD_TABLE} o
                WHERE {id_in_sql(f"{c_table}.id")}
                  AND d.day = {local_date_sql(f"{c_table}.due_from")}
                  AND o.ord = d.ord + {c_table}.due_days
                  AND ({c_table}.due_at IS NULL OR {c_table}.due_at <> o.due_at
                       OR {c_table}.due_provisional <> (o.mc > d.mb)
                       OR {id_in_sql(f"{c_table}.id")})
                RETURNING {c_table}.id, {c_table}.due_at, {c_table}.due_provisional""",
            [now, ids, ids_param(moved)],
        )
        rows = sorted(cursor.fetchall())
    if not rows:
        return 0
    before = {pk: (status, due_at) for pk, status, due_at in locked}
    with translation.override(settings.LANGUAGE_CODE):
        label = gettext("System")
    events = []
    for pk, due_at, provisional in rows:
        status, due_before = before[pk]
        events.append(
            CaseEvent(
                case_id=pk,
                actor=actor if signed_in(actor) else None,
                actor_label=label,
                verb="case.deadline_recomputed",
                from_status=status,
                to_status=status,
                data={
                    "due_before": due_before.isoformat() if due_before else "",
                    "due_after": tables.due_of(due_at).isoformat(),
                    "provisional": bool(provisional),
                    "years": sorted(years),
                    "assignments": [pk for *_, pk in sorted(moved.get(pk, []))],
                },
            )
        )
    # The events of a case are one hash chain (core/chain.py): sealed in Python under the
    # chains' locks, then one multi-row INSERT. No notice but the tracking page's version has
    # anything to say about this verb (cases/notices.py), so that is all they get.
    chain.seal(events)
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    page_cache.bump_many([event.case_id for event in events])
    return len(events)


def recalculate_deadlines_per_case(years: set[int], actor=None) -> int:
    """The per-case path: one transaction and one event per case, reading the calendar in Python.
    What the set-based path must equal (tests), and what it falls back on for locked cases."""
    if not years:
        return 0
    calendar = Calendar()
    candidates = _deadline_candidates(years).values_list("pk", flat=True)
    return sum(_recalculate_case(pk, years, actor, calendar) for pk in list(candidates))


def _recalculate_case(pk: int, years: set[int], actor, calendar: Calendar) -> int:
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=pk)
        if locked.is_final or locked.due_from is None or locked.due_days is None:
            return 0
        before = (locked.due_at, locked.due_provisional)
        _set_due(locked, locked.due_from, locked.due_days, calendar=calendar)
        moved = []
        for assignment in locked.assignments.select_for_update().filter(
            state__in=ACTIVE_ASSIGNMENT_STATES
        ):
            sign = add_working_days(
                assignment.created_at, days("CASE_SIGN_DAYS"), calendar=calendar
            ).due_at
            report = add_working_days(
                assignment.created_at, assignment.report_days, calendar=calendar
            ).due_at
            if (sign, report) != (assignment.sign_due_at, assignment.report_due_at):
                assignment.sign_due_at, assignment.report_due_at = sign, report
                assignment.save(update_fields=["sign_due_at", "report_due_at", "updated_at"])
                moved.append(assignment.pk)
        if before == (locked.due_at, locked.due_provisional) and not moved:
            return 0
        locked.save(update_fields=[*DUE_FIELDS, "updated_at"])
        with translation.override(settings.LANGUAGE_CODE):
            label = gettext("System")
        case_event(
            locked,
            "case.deadline_recomputed",
            actor=actor,
            from_status=locked.status,
            label=label,
            due_before=before[0].isoformat() if before[0] else "",
            due_after=locked.due_at.isoformat() if locked.due_at else "",
            provisional=locked.due_provisional,
            years=sorted(years),
            assignments=moved,
        )
        return 1


def provisional_years() -> set[int]:
    """The years open provisional deadlines reach (for the administrators' banner)."""
    dates = (
        Case.objects.open()
        .filter(due_provisional=True, due_at__isnull=False)
        .values_list("due_at", flat=True)
    )
    return {timezone.localtime(value).year for value in dates}


# --- configuration ------------------------------------------------------------------------------


@transaction.atomic
def save_referral_channel(channel: ReferralChannel, *, actor, changed_fields=()) -> None:
    from liaison.core import audit

    require(actor, "referralchannel.change", channel, NOT_YOURS)
    created = channel.pk is None
    channel.full_clean()
    channel.save()
    audit.record(
        "referral_channel.created" if created else "referral_channel.changed",
        actor=actor,
        obj=channel,
        fields=list(changed_fields),
    )


@transaction.atomic
def save_routing_rule(rule, *, actor, changed_fields=()) -> None:
    """分办规则 — administrators keep the routing rules (they only suggest a department)."""
    from liaison.core import audit

    require(actor, "routingrule.change", rule, NOT_YOURS)
    created = rule.pk is None
    rule.full_clean()
    rule.save()
    audit.record(
        "routing_rule.created" if created else "routing_rule.changed",
        actor=actor,
        obj=rule,
        fields=list(changed_fields),
    )
