"""The full rollup rebuild as set-based SQL on PostgreSQL (docs/statistics.md, "Full rebuild").

The same counting as `rollup._Walk`, written as one INSERT … SELECT per range of case ids, so that
a province's 70 M events are never carried through Python one by one (the walk counts ≈ 800
events/s; this ≈ 25 times that on the same machine, bench/README.md). `_Walk` stays the
definition: `update()` and SQLite use it, and tests/stats/test_rebuild_sql.py compares the two row
for row over random histories. Change one, change the other.

How the walk becomes set-based:

- the events of a case in id order are a window (PARTITION BY case ORDER BY id), read up to the
  row before the current one ("the clocks as this event finds them");
- a step's clock runs at an event when the last of its markers before it (a start, an end, or a
  pop by reassignment / return) is a start; `max(ARRAY[id, …])` over the window gives the last
  start with its day and allowed working days, `max(id)` the last marker;
- working days between two events are a subtraction of day ordinals: a table of the days from
  the first event's to the last one's, each with the number of working days up to it on the
  calendar as it is now (CalendarDay exceptions, else Monday–Friday, as `Calendar.status`);
- the lead department of the moment is the nth lead assignment (by id) for the nth
  `case.assigned`, staying on the last one when there are more assignments than leads;
- what an event adds is a fixed list of (metric, bucket, applies) rows, kept where it applies.
"""

from django.conf import settings
from django.db import connection

from liaison.cases.models import Assignment, Case, CaseEvent, ReferralChannel
from liaison.workdays.models import CalendarDay, DayKind

from .counted import MAX_BUCKET, PLAIN, SATISFIED, STEP_DAYS, STEPS
from .models import NO_BUCKET, CaseFigure

# The metrics the walk adds besides its PLAIN verbs and the steps' due / ontime / wd.
EXTRA = (
    "reassigned",
    "referred_to",
    "settled",
    "answered",
    "signed",
    "returned",
    "reported",
    "rated",
    "satisfied",
    "resolved",
    "rehandled",
)
REVIEW_ENDS = ("case.accepted", "case.rejected", "case.referred", "case.merged")


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _statement(
    into: str, plain: dict[str, str], satisfied: set[str], max_bucket: int, steps: tuple[str, ...]
) -> str:
    metrics = [*dict.fromkeys(plain.values()), *EXTRA]
    metrics += [f"{kind}.{step}" for kind in ("due", "ontime", "wd") for step in steps]
    code = {metric: n for n, metric in enumerate(metrics, start=1)}  # an index into `names`
    names = "ARRAY[" + ", ".join(f"'{metric}'" for metric in metrics) + "]::text[]"
    plain_case = " ".join(f"WHEN '{verb}' THEN {code[metric]}" for verb, metric in plain.items())

    def step_code(kind: str) -> str:
        whens = " ".join(f"WHEN '{step}' THEN {code[f'{kind}.{step}']}" for step in steps)
        return f"CASE t.step {whens} END"

    satisfied_list = ", ".join(f"'{value}'" for value in sorted(satisfied))
    review_ends = ", ".join(f"'{verb}'" for verb in REVIEW_ENDS)
    return f"""
WITH days AS (
  SELECT d::date AS day,
         sum(CASE WHEN x.kind = '{DayKind.HOLIDAY}' THEN 0 WHEN x.kind = '{DayKind.MAKEUP}' THEN 1
                  WHEN extract(isodow FROM d) >= 6 THEN 0 ELSE 1 END)
           OVER (ORDER BY d) AS ord
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') d
    LEFT JOIN {_table(CalendarDay)} x ON x.date = d::date
),
leads AS (
  SELECT case_id, array_agg(department_id ORDER BY id) AS departments,
         array_agg(sign_due_at ORDER BY id) AS sign_due,
         array_agg(report_due_at ORDER BY id) AS report_due, count(*) AS n
    FROM {_table(Assignment)}
   WHERE role = 'lead'
   GROUP BY case_id
),
flagged AS (
  SELECT e.id, e.case_id, e.created_at, e.verb, e.from_status, d.day, d.ord::bigint AS ord,
         coalesce(e.data ->> 'role' = 'lead', false) AS lead_role,
         coalesce(e.data -> 'settled' NOT IN
                  ('null', 'false', '0', '""', '[]', '{{}}'), false) AS settled,
         e.data ->> 'rating' AS rating,
         CASE WHEN jsonb_typeof(e.data -> 'referral') = 'string'
              THEN e.data ->> 'referral' END AS referral,
         CASE WHEN e.verb = 'case.submitted' THEN %(review_days)s
              WHEN e.verb = 'case.supplemented'
              THEN greatest(coalesce(trunc((nullif(e.data ->> 'days_left', ''))::numeric), 0), 1)
         END::bigint AS review_start,
         e.verb IN ({review_ends}) AND e.from_status = 'submitted' AS review_end
    FROM {_table(CaseEvent)} e
    JOIN days d ON d.day = (e.created_at AT TIME ZONE %(tz)s)::date
   WHERE e.id <= %(upto)s
),
marked AS (
  SELECT f.*,
         f.verb = 'case.accepted' AS reply_start, f.verb = 'case.replied' AS reply_end,
         f.verb = 'case.assigned' AS sign_start,
         f.verb = 'case.signed' AND f.lead_role AS sign_end,
         f.verb = 'case.returned' AND f.lead_role AS returned,
         f.verb = 'case.reported' AND f.lead_role AS reported,
         f.verb = 'case.answered' AS answer_end
    FROM flagged f
),
walked AS (
  SELECT m.*,
         count(*) FILTER (WHERE m.sign_start) OVER w + m.sign_start::int AS n_assigned,
         max(CASE WHEN m.review_start IS NOT NULL THEN ARRAY[m.id, m.ord, m.review_start] END)
           OVER w AS review_began,
         max(CASE WHEN m.review_start IS NOT NULL OR m.review_end THEN m.id END)
           OVER w AS review_marker,
         max(CASE WHEN m.reply_start THEN ARRAY[m.id, m.ord, %(reply_days)s] END)
           OVER w AS reply_began,
         max(CASE WHEN m.reply_start OR m.reply_end THEN m.id END) OVER w AS reply_marker,
         max(CASE WHEN m.sign_start THEN ARRAY[m.id, m.ord, 0] END) OVER w AS sign_began,
         max(CASE WHEN m.sign_start OR m.sign_end OR m.returned THEN m.id END)
           OVER w AS sign_marker,
         max(CASE WHEN m.sign_start THEN ARRAY[m.id, m.ord, 0] END) OVER w AS handle_began,
         max(CASE WHEN m.sign_start OR m.reported OR m.returned THEN m.id END)
           OVER w AS handle_marker,
         max(CASE WHEN m.reported THEN ARRAY[m.id, m.ord, %(answer_days)s] END)
           OVER w AS answer_began,
         max(CASE WHEN m.reported OR m.answer_end THEN m.id END) OVER w AS answer_marker
    FROM marked m
  WINDOW w AS (PARTITION BY m.case_id ORDER BY m.id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
timed AS (
  -- The step this event ends (at most one) if its clock was running, with the start the clock
  -- had, and the lead department of the moment.
  SELECT w.*, s.step, s.began, s.due, greatest(w.ord - s.began[2], 0) AS taken,
         coalesce(l.departments[least(w.n_assigned, l.n)], 0) AS department_id
    FROM walked w
    LEFT JOIN leads l ON l.case_id = w.case_id
    CROSS JOIN LATERAL (
      SELECT CASE WHEN w.review_end AND w.review_began[1] = w.review_marker THEN 'review'
                  WHEN w.reply_end AND w.reply_began[1] = w.reply_marker THEN 'reply'
                  WHEN w.sign_end AND w.sign_began[1] = w.sign_marker THEN 'sign'
                  WHEN w.reported AND w.handle_began[1] = w.handle_marker THEN 'handle'
                  WHEN w.answer_end AND w.answer_began[1] = w.answer_marker THEN 'answer'
             END AS step,
             CASE WHEN w.review_end THEN w.review_began WHEN w.reply_end THEN w.reply_began
                  WHEN w.sign_end THEN w.sign_began WHEN w.reported THEN w.handle_began
                  WHEN w.answer_end THEN w.answer_began END AS began,
             CASE WHEN w.sign_end
                  THEN l.sign_due[least(w.n_assigned, l.n)]
                  WHEN w.reported
                  THEN l.report_due[least(w.n_assigned, l.n)] END AS due
    ) s
),
counted AS (
  -- What the event adds: one (metric, bucket) pair per array position, NULL where it does not
  -- apply. Metrics as numbers (their names after the grouping): unnest of two int arrays costs
  -- a fraction of a VALUES list filtered per event or of text built per event.
  SELECT t.case_id, t.day, t.department_id, x.metric, x.bucket
    FROM timed t
    LEFT JOIN {_table(ReferralChannel)} r ON r.code = t.referral AND t.verb = 'case.referred'
    CROSS JOIN LATERAL unnest(
      ARRAY[
        CASE t.verb {plain_case} END,
        CASE WHEN t.verb = 'case.assigned' AND t.from_status IS DISTINCT FROM 'to_assign'
             THEN {code["reassigned"]} END,
        CASE WHEN t.verb = 'case.referred' THEN {code["referred_to"]} END,
        {step_code("due")},
        CASE WHEN CASE WHEN t.due IS NOT NULL THEN t.created_at <= t.due
                       ELSE t.taken <= t.began[3] END
             THEN {step_code("ontime")} END,
        {step_code("wd")},
        CASE WHEN t.verb = 'case.replied' AND t.settled THEN {code["settled"]} END,
        CASE WHEN t.verb = 'case.replied' AND t.settled THEN {code["answered"]} END,
        CASE WHEN t.sign_end THEN {code["signed"]} END,
        CASE WHEN t.returned THEN {code["returned"]} END,
        CASE WHEN t.reported THEN {code["reported"]} END,
        CASE WHEN t.verb IN ('case.rated', 'case.rehandle_requested') THEN {code["rated"]} END,
        CASE WHEN t.verb IN ('case.rated', 'case.rehandle_requested')
                  AND t.rating IN ({satisfied_list}) THEN {code["satisfied"]} END,
        CASE WHEN t.verb = 'case.rated' THEN {code["resolved"]} END,
        CASE WHEN t.verb = 'case.rehandle_requested' THEN {code["rehandled"]} END
      ],
      ARRAY[
        {NO_BUCKET}, {NO_BUCKET}, coalesce(r.id::int, {NO_BUCKET}), {NO_BUCKET}, {NO_BUCKET},
        least(t.taken, {max_bucket})::int, {NO_BUCKET}, {NO_BUCKET}, {NO_BUCKET}, {NO_BUCKET},
        {NO_BUCKET}, {NO_BUCKET}, {NO_BUCKET}, {NO_BUCKET}, {NO_BUCKET}
      ]
    ) AS x(metric, bucket)
   WHERE x.metric IS NOT NULL
)
INSERT INTO {into} (day, station_id, deputy_id, department_id, category_id, channel,
                      metric, bucket, region_path, count)
SELECT k.day, c.station_id, coalesce(c.deputy_id, 0), k.department_id, c.category_id,
       c.channel, ({names})[k.metric], k.bucket, min(c.region_path), count(*)
  FROM counted k JOIN {_table(Case)} c ON c.id = k.case_id
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
"""


def fill(upto: int) -> None:
    """Count every event with id ≤ upto into a new CaseFigure table and put it in the old one's
    place, in the caller's transaction.

    Built beside the old table, without indexes, then indexed and swapped in: the dashboards
    read the old rows until the commit (never a half-empty table), and the rows are not
    inserted one index probe at a time (into the old table, behind a DELETE of the same keys,
    inserting was four fifths of the time). The swapped-in table keeps the old one's index and
    constraint names, so migrations still find them.

    A row's region path is its station's: where a station's cases disagree (never in practice),
    the smallest path is kept, where the walk keeps one of them."""
    figure = CaseFigure._meta.db_table
    new = figure + "_new"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT min(created_at AT TIME ZONE %s)::date, max(created_at AT TIME ZONE %s)::date "
            f"FROM {_table(CaseEvent)} WHERE id <= %s",
            [settings.TIME_ZONE, settings.TIME_ZONE, upto],
        )
        first, last = cursor.fetchone()
        # The sorts and the grouping in memory as far as they fit; no JIT compilation (seconds
        # of compiling for a statement that runs once).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        # The index builds at the end sort in memory too (a third of the time at 200 k cases).
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute(f"DROP TABLE IF EXISTS {_quote(new)}")
        cursor.execute(
            f"CREATE TABLE {_quote(new)} (LIKE {_quote(figure)} "
            f"INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY)"
        )
        if first is not None:
            cursor.execute(
                _statement(_quote(new), PLAIN, SATISFIED, MAX_BUCKET, STEPS),
                {
                    "first": first,
                    "last": last,
                    "tz": settings.TIME_ZONE,
                    "upto": upto,
                    "review_days": int(getattr(settings, STEP_DAYS["review"])),
                    "reply_days": int(getattr(settings, STEP_DAYS["reply"])),
                    "answer_days": int(getattr(settings, STEP_DAYS["answer"])),
                },
            )
        _swap(cursor, figure, new)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _swap(cursor, figure: str, new: str) -> None:
    """Give `new` the constraints and indexes of `figure` (built now, on the full table), then
    drop `figure` and rename `new` and its indexes to the old names."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u') ORDER BY conname",
        [figure],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
        "ORDER BY i.relname",
        [figure],
    )
    indexes = cursor.fetchall()
    for name, definition in constraints:
        cursor.execute(
            f"ALTER TABLE {_quote(new)} ADD CONSTRAINT {_quote(name + '_new')} {definition}"
        )
    for name, definition in indexes:
        # "CREATE [UNIQUE] INDEX name ON schema.table USING …": the same index on the new table.
        head, tail = definition.split(" USING ", 1)
        unique = "UNIQUE " if head.startswith("CREATE UNIQUE") else ""
        cursor.execute(
            f"CREATE {unique}INDEX {_quote(name + '_new')} ON {_quote(new)} USING {tail}"
        )
    cursor.execute(f"DROP TABLE {_quote(figure)}")
    cursor.execute(f"ALTER TABLE {_quote(new)} RENAME TO {_quote(figure)}")
    for name, _ in constraints:
        cursor.execute(
            f"ALTER TABLE {_quote(figure)} RENAME CONSTRAINT {_quote(name + '_new')} "
            f"TO {_quote(name)}"
        )
    for name, _ in indexes:
        cursor.execute(f"ALTER INDEX {_quote(name + '_new')} RENAME TO {_quote(name)}")
