"""Statistics at province scale (issues 13 and 17): the rollup over N cases and their events, the
dashboards under 32 concurrent connections, and the deadline recomputation after a new holiday
schedule.

Builds (once, in its own database, kept between runs) the province of bench/directory_scale.py
(11 cities, 99 counties, 1,485 townships, 20,000 stations, 50,000 deputies), five departments per
county, and `--cases` cases spread over three years with their whole histories, all in SQL
(generate_series, INSERT … SELECT — no Python loop per row):

- 4 % rejected, 3 % merged, 3 % withdrawn, 3 % referred (submitted → that step);
- 7 % settled by the deputy's reply (submitted, accepted, replied settled, rated);
- the rest the whole path: submitted, accepted, replied (proposing assignment), assigned (with
  its lead assignment), signed, reported, answered, rated (satisfied / basic / unsatisfied);
- a case stops where "now" cuts its history, so the last weeks' cases are open, with their due
  dates (what the deadline recomputation reads).

Then it measures, printing the command line first:

1. the full rollup rebuild (`rollup.rebuild()`, what `liaison stats rebuild` runs for cases);
2. the incremental rollup of one new day of events (≈ N/1095 new submissions, acceptances,
   reports and answers; `rollup.update()`);
3. the staff dashboard at province, county, township and station level and the public /stats/
   page, served by gunicorn (4 sync workers) on this database, p50 / p95 under 32 concurrent
   connections (wrk on one page at a time, bench/wrk_page.lua; staff log in by session cookie);
4. the deadline recomputation that loading a holiday schedule triggers
   (`workdays.recalculators.run`, the cases' `recalculate_deadlines`) over the open steps.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_stats_bench \\
        .venv/bin/python -W ignore bench/stats_scale.py [--rebuild] [--cases 10000000] \\
        [--seconds 20] [--concurrency 32] [--skip rollup,load,deadlines]

Figures from one run on the shared 2-core machine; see bench/README.md.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/liaison_stats_bench"
)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
import directory_scale
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client

from liaison.accounts.models import Role, User
from liaison.cases.models import Case, CaseEvent, ReferralChannel
from liaison.core import partitions
from liaison.directory import demo
from liaison.directory.models import (
    Category,
    Department,
    DepartmentLevel,
    Region,
    RegionLevel,
    Station,
)
from liaison.stats import coarse, rollup
from liaison.stats.models import CaseFigure, RegionFigure
from liaison.workdays import recalculators

ROOT = Path(__file__).resolve().parents[1]
DEPARTMENTS_PER_COUNTY = 5

# Hours after submission at which each step of the whole path happens (cumulative offsets are
# built in SQL from these: a fixed part plus a random part).
STEP_HOURS = {
    "t1": (4, 60),  # accepted
    "t2": (6, 72),  # replied
    "t3": (2, 48),  # assigned
    "t4": (1, 40),  # signed
    "t5": (48, 480),  # reported
    "t6": (6, 200),  # answered
    "t7": (12, 240),  # rated
}


def build_extras():
    """Categories, a referral channel and five departments per county."""
    for sort_order, (code, name, name_en) in enumerate(demo.CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": sort_order}
        )
    ReferralChannel.objects.get_or_create(
        code="petition", defaults={"name": "信访渠道", "guidance": "请通过信访渠道反映。"}
    )
    if not Department.objects.exists():
        Department.objects.bulk_create(
            Department(
                code=f"{county.code}-{k}",
                name=f"{county.name}第{k}局",
                region=county,
                level=DepartmentLevel.COUNTY,
            )
            for county in Region.objects.filter(level=RegionLevel.COUNTY)
            for k in range(1, DEPARTMENTS_PER_COUNTY + 1)
        )


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def build_cases(count):
    """`count` cases, their events and lead assignments, set-based."""
    start = time.perf_counter()
    first = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    stations = Station.objects.count()
    categories = list(Category.objects.values_list("id", flat=True))
    # One row per station: its path, one of its deputies (or none), its county's departments.
    sql("DROP TABLE IF EXISTS bench_station, bench_plan")
    sql(
        """
        CREATE UNLOGGED TABLE bench_station AS
        SELECT row_number() OVER (ORDER BY s.id) - 1 AS n, s.id AS station_id,
               r.path AS region_path,
               (SELECT min(ds.deputy_id) FROM directory_deputy_stations ds
                 WHERE ds.station_id = s.id) AS deputy_id,
               (SELECT array_agg(d.id ORDER BY d.id) FROM directory_department d
                  JOIN directory_region c ON c.id = d.region_id
                 WHERE r.path LIKE c.path || '%') AS depts
          FROM directory_station s JOIN directory_region r ON r.id = s.region_id
        """
    )
    sql("CREATE UNIQUE INDEX ON bench_station (n)")
    offsets = []
    previous = "t0"
    for name, (fixed, spread) in STEP_HOURS.items():
        offsets.append(
            f"{previous} + interval '{fixed} hours' + random() * interval '{spread} hours' "
            f"AS {name}"
        )
        previous = name
    # A plan row per case: when, where, which path. Built in two steps (the offsets are
    # cumulative, each reads the one before).
    sql(
        f"""
        CREATE UNLOGGED TABLE bench_plan AS
        SELECT {first} - 1 + g AS id,
               floor(CASE WHEN random() < 0.8 THEN random() * {stations} / 5
                          ELSE random() * {stations} END)::int AS sn,
               now() - random() * interval '1095 days' AS t0,
               random() AS kind_r, random() AS deputy_r,
               (ARRAY{categories})[1 + floor(random() * {len(categories)})::int] AS category_id,
               (ARRAY['online','online','online','online','online','online','online',
                      'reception','reception','phone'])[1 + floor(random() * 10)::int] AS channel,
               (ARRAY['satisfied','satisfied','satisfied','satisfied','satisfied','basic',
                      'basic','basic','unsatisfied','unsatisfied'])[1 + floor(random() * 10)::int]
                   AS rating
          FROM generate_series(1, {count}) g
        """
    )
    for expression in offsets:
        name = expression.rsplit(" AS ", 1)[1]
        sql(f"ALTER TABLE bench_plan ADD COLUMN {name} timestamptz")
        sql(f"UPDATE bench_plan SET {name} = {expression.rsplit(' AS ', 1)[0]}")
    sql(
        """
        ALTER TABLE bench_plan ADD COLUMN kind text;
        UPDATE bench_plan SET kind = CASE WHEN kind_r < 0.04 THEN 'rejected'
            WHEN kind_r < 0.07 AND id > (SELECT min(id) FROM bench_plan) THEN 'merged'
            WHEN kind_r < 0.10 THEN 'withdrawn' WHEN kind_r < 0.13 THEN 'referred'
            WHEN kind_r < 0.20 THEN 'settled' ELSE 'full' END;
        ALTER TABLE bench_plan ADD PRIMARY KEY (id);
        """
    )
    print(f"  planned {count:,} cases in {time.perf_counter() - start:.0f} s", flush=True)
    referral = ReferralChannel.objects.get(code="petition").pk
    sql(
        f"""
        INSERT INTO cases_case (id, tracking_number, status, channel, station_id, region_path,
            deputy_id, category_id, title, description, location_text, citizen_name,
            citizen_phone, citizen_landline, citizen_address, confidential, public_consent,
            privacy_accepted_at, phone_verified_at, language, merged_into_id, raised_by,
            referral_id, rehandled, rating, rated_at, due_at, due_provisional, due_from,
            due_days, created_at, updated_at, closed_at, supporters)
        SELECT p.id, (1000000000 + p.id)::text, st.status, p.channel, s.station_id,
               s.region_path, CASE WHEN p.deputy_r < 0.8 THEN s.deputy_id END, p.category_id,
               '路灯不亮，晚上出行不安全', '示范路附近路灯不亮，请尽快处理。', '示范路',
               '', '139' || lpad((p.id % 100000000)::text, 8, '0'), '', '', false, false,
               p.t0, p.t0, 'zh-hans',
               CASE WHEN st.status = 'merged' THEN p.id - 1 END, 1,
               CASE WHEN st.status = 'referred' THEN {referral} END, false,
               CASE WHEN st.status = 'closed' THEN p.rating ELSE '' END,
               CASE WHEN st.status = 'closed' AND p.kind = 'settled' THEN p.t3
                    WHEN st.status = 'closed' THEN p.t7 END,
               CASE WHEN st.due_from IS NOT NULL
                    THEN st.due_from + make_interval(days => st.due_days) END,
               false, st.due_from, st.due_days, p.t0, p.t0,
               CASE WHEN st.status IN ('closed','rejected','merged','withdrawn','referred')
                    THEN st.last END, 0
          FROM bench_plan p JOIN bench_station s ON s.n = p.sn
          CROSS JOIN LATERAL (
            -- the status the case has now, the start of its open step and its days
            SELECT CASE
                 WHEN p.kind IN ('rejected','merged','withdrawn','referred') THEN
                   CASE WHEN p.t1 <= now() THEN p.kind ELSE 'submitted' END
                 WHEN p.kind = 'settled' THEN
                   CASE WHEN p.t3 <= now() THEN 'closed' WHEN p.t2 <= now() THEN 'answered'
                        WHEN p.t1 <= now() THEN 'accepted' ELSE 'submitted' END
                 ELSE
                   CASE WHEN p.t7 <= now() THEN 'closed' WHEN p.t6 <= now() THEN 'answered'
                        WHEN p.t5 <= now() THEN 'feedback'
                        WHEN p.t4 <= now() THEN 'in_progress'
                        WHEN p.t3 <= now() THEN 'assigned'
                        WHEN p.t2 <= now() THEN 'to_assign'
                        WHEN p.t1 <= now() THEN 'accepted' ELSE 'submitted' END
               END AS status
          ) st0
          CROSS JOIN LATERAL (
            SELECT st0.status,
                   CASE st0.status WHEN 'submitted' THEN p.t0 WHEN 'accepted' THEN p.t1
                        WHEN 'to_assign' THEN p.t2 WHEN 'assigned' THEN p.t3
                        WHEN 'in_progress' THEN p.t3 WHEN 'feedback' THEN p.t5
                        WHEN 'answered' THEN CASE WHEN p.kind = 'settled' THEN p.t2
                                                  ELSE p.t6 END END AS due_from,
                   CASE st0.status WHEN 'submitted' THEN 2 WHEN 'accepted' THEN 3
                        WHEN 'to_assign' THEN 2 WHEN 'assigned' THEN 15
                        WHEN 'in_progress' THEN 15 WHEN 'feedback' THEN 15
                        WHEN 'answered' THEN 10 END AS due_days,
                   CASE WHEN p.kind = 'settled' THEN p.t3
                        WHEN p.kind = 'full' THEN p.t7 ELSE p.t1 END AS last
          ) st
        ORDER BY p.id
        """
    )
    sql("SELECT setval('cases_case_id_seq', (SELECT max(id) FROM cases_case))")
    print(f"  {count:,} cases in {time.perf_counter() - start:.0f} s", flush=True)
    # The lead assignment of every case that reached "assigned".
    sql(
        """
        INSERT INTO cases_assignment (case_id, department_id, role, state, round,
            contact_shared, name_shared, sign_due_at, report_due_at, report_days, result,
            created_at, updated_at)
        SELECT p.id, s.depts[1 + p.id % array_length(s.depts, 1)], 'lead',
               CASE WHEN p.t5 <= now() THEN 'reported' WHEN p.t4 <= now() THEN 'signed'
                    ELSE 'pending' END,
               1, false, false, p.t3 + interval '1 day', p.t3 + interval '15 days', 15, '',
               p.t3, p.t3
          FROM bench_plan p JOIN bench_station s ON s.n = p.sn
         WHERE p.kind = 'full' AND p.t3 <= now()
        """
    )
    print(f"  assignments in {time.perf_counter() - start:.0f} s", flush=True)
    # The events, in the order they happened (ids follow time, as in production). On PostgreSQL
    # the event table is partitioned by month: the loaded months' partitions first.
    oldest = Case.objects.order_by("created_at").values_list("created_at", flat=True).first()
    partitions.ensure_months("cases_caseevent", since=oldest)
    events = sql(
        """
        INSERT INTO cases_caseevent (case_id, created_at, actor_label, verb, from_status,
            to_status, note, is_public, data, hash, prev_hash)
        SELECT p.id, e.at, '', e.verb, e.from_status, e.to_status, '', true, e.data::jsonb,
               '', ''
          FROM bench_plan p
          CROSS JOIN LATERAL (VALUES
            (p.t0, 'case.submitted', '', 'submitted', '{}', true),
            (p.t1, 'case.' || p.kind, 'submitted', p.kind,
             CASE WHEN p.kind = 'referred' THEN '{"referral": "petition"}' ELSE '{}' END,
             p.kind IN ('rejected','merged','withdrawn','referred')),
            (p.t1, 'case.accepted', 'submitted', 'accepted', '{}',
             p.kind IN ('settled','full')),
            (p.t2, 'case.replied', 'accepted', 'answered', '{"settled": true}',
             p.kind = 'settled'),
            (p.t3, 'case.rated', 'answered', 'closed',
             '{"rating": "' || p.rating || '"}', p.kind = 'settled'),
            (p.t2, 'case.replied', 'accepted', 'to_assign', '{"settled": false}',
             p.kind = 'full'),
            (p.t3, 'case.assigned', 'to_assign', 'assigned', '{}', p.kind = 'full'),
            (p.t4, 'case.signed', 'assigned', 'in_progress', '{"role": "lead"}',
             p.kind = 'full'),
            (p.t5, 'case.reported', 'in_progress', 'feedback', '{"role": "lead"}',
             p.kind = 'full'),
            (p.t6, 'case.answered', 'feedback', 'answered', '{}', p.kind = 'full'),
            (p.t7, 'case.rated', 'answered', 'closed', '{"rating": "' || p.rating || '"}',
             p.kind = 'full')
          ) e(at, verb, from_status, to_status, data, applies)
         WHERE e.applies AND e.at <= now()
         ORDER BY e.at
        """
    )
    print(f"  {events:,} events in {time.perf_counter() - start:.0f} s", flush=True)
    sql("DROP TABLE bench_plan")
    sql("ANALYZE")


def add_one_day():
    """One new day of events: ≈ N/1095 new submissions (half accepted the same day), and reports
    and answers on as many cases under way. Answers (events, cases touched)."""
    per_day = max(Case.objects.count() // 1095, 1)
    first = Case.objects.order_by("-id").values_list("id", flat=True).first() + 1
    categories = list(Category.objects.values_list("id", flat=True))
    sql(
        f"""
        INSERT INTO cases_case (id, tracking_number, status, channel, station_id, region_path,
            deputy_id, category_id, title, description, location_text, citizen_name,
            citizen_phone, citizen_landline, citizen_address, confidential, public_consent,
            privacy_accepted_at, language, raised_by, rehandled, rating, due_provisional,
            created_at, updated_at, supporters)
        SELECT {first} - 1 + g, (1000000000 + {first} - 1 + g)::text, 'submitted', 'online',
               s.station_id, s.region_path, s.deputy_id,
               (ARRAY{categories})[1 + g % {len(categories)}], '垃圾清运不及时',
               '小区垃圾清运不及时。', '示范路', '', '13900000000', '', '', false, false,
               now(), 'zh-hans', 1, false, '', false, now(), now(), 0
          FROM generate_series(1, {per_day}) g
          JOIN bench_station s ON s.n = (g * 7919) % (SELECT count(*) FROM bench_station)
        """
    )
    sql("SELECT setval('cases_case_id_seq', (SELECT max(id) FROM cases_case))")
    events = sql(
        f"""
        INSERT INTO cases_caseevent (case_id, created_at, actor_label, verb, from_status,
            to_status, note, is_public, data, hash, prev_hash)
        SELECT id, now(), '', 'case.submitted', '', 'submitted', '', true, '{{}}'::jsonb, '', ''
          FROM cases_case WHERE id >= {first}
        UNION ALL
        SELECT id, now() + interval '1 hour', '', 'case.accepted', 'submitted', 'accepted', '',
               true, '{{}}'::jsonb, '', ''
          FROM cases_case WHERE id >= {first} AND id % 2 = 0
        UNION ALL
        (SELECT id, now() + interval '2 hours', '', 'case.reported', 'in_progress',
                'feedback', '', true, '{{"role": "lead"}}'::jsonb, '', ''
           FROM cases_case WHERE status = 'in_progress' ORDER BY id LIMIT {per_day // 2})
        UNION ALL
        (SELECT id, now() + interval '3 hours', '', 'case.answered', 'feedback', 'answered',
                '', true, '{{}}'::jsonb, '', ''
           FROM cases_case WHERE status = 'feedback' ORDER BY id LIMIT {per_day // 2})
        """
    )
    return events, per_day


# --- the load generator ----------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port, cache_seconds=300):
    env = dict(os.environ, DATABASE_URL=os.environ["DATABASE_URL"], PYTHONPATH=str(ROOT))
    env.update(SECURE_COOKIES="0", SECURE_SSL_REDIRECT="0", LOG_LEVEL="WARNING")
    # The page cache (liaison/stats/cache.py), 0: off. Each worker's own local-memory cache (the
    # environment has no redis client library), so each of the 4 fills its own once.
    env.pop("REDIS_URL", None)
    env.update(LIAISON_STATS_CACHE_SECONDS=str(cache_seconds))
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "liaison.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/stats/", timeout=30).read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def load(port, target, seconds, concurrency):
    """wrk (Debian's `wrk`) on one page for `seconds` seconds over `concurrency` connections;
    answers its figures (bench/wrk_page.lua)."""
    _label, path, cookie = target
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{concurrency}",
            f"-d{seconds}s",
            "--timeout",
            "60s",
            "-s",
            str(ROOT / "bench" / "wrk_page.lua"),
            f"http://127.0.0.1:{port}{path}",
        ],
        env=dict(os.environ, BENCH_COOKIE=cookie),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def dashboard_users():
    """Committee staff of the province, of the busiest county and township, and the staff of the
    busiest station (busy: most cases)."""
    busiest = (
        Case.objects.values("station_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("station_id", flat=True)[0]
    )
    station = Station.objects.select_related("region").get(pk=busiest)
    codes = station.region.path.strip("/").split("/")
    province = Region.objects.get(level=RegionLevel.PROVINCE)
    county = Region.objects.get(code=codes[2])
    township = Region.objects.get(code=codes[3])
    users = {}
    for username, fields in [
        ("stats_province", {"role": Role.COMMITTEE_STAFF, "region": province}),
        ("stats_county", {"role": Role.COMMITTEE_STAFF, "region": county}),
        ("stats_township", {"role": Role.COMMITTEE_STAFF, "region": township}),
        ("stats_station", {"role": Role.STATION_STAFF, "station": station}),
    ]:
        user, _ = User.objects.update_or_create(
            username=username, defaults={"is_staff": True, **fields}
        )
        users[username] = user
    return users


def page_targets():
    users = dashboard_users()
    return [
        (f"GET /staff/stats/ as {name}", "/staff/stats/", session_cookie(user))
        for name, user in users.items()
    ] + [("GET /stats/ (public)", "/stats/", "")]


def measure_single(targets):
    """Each page alone in this process (Django test client): cold (cache off) and warm (the
    second request with the cache on), milliseconds and queries."""
    from django.core.cache import caches
    from django.db import reset_queries
    from django.test.utils import CaptureQueriesContext, override_settings

    with override_settings(LIAISON_STATS_CACHE_SECONDS=0):
        for _label, path, cookie in targets:  # templates, URL resolver: not what is measured
            client = Client()
            if cookie:
                client.cookies.load(cookie)
            client.get(path)
    print("one request alone (test client; cold: cache off, warm: the second with it on):")
    print(f"{'what':<40} {'cold ms':>8} {'queries':>8} {'warm ms':>8} {'queries':>8}")
    for label, path, cookie in targets:
        client = Client()
        if cookie:
            client.cookies.load(cookie)
        found = []
        for seconds in (0, 300, 300):
            with override_settings(LIAISON_STATS_CACHE_SECONDS=seconds):
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    status = client.get(path).status_code
                    took = (time.perf_counter() - began) * 1000
                assert status == 200, (label, status)
                found.append((took, len(queries)))
        (cold, cold_q), _fill, (warm, warm_q) = found
        print(f"{label:<40} {cold:>8.0f} {cold_q:>8} {warm:>8.0f} {warm_q:>8}")
    caches["default"].clear()  # this process's own (local memory) cache
    print()


def measure_pages(targets, seconds, concurrency, cache_seconds):
    # Each page answers 200 before the load starts (a 403 or 500 would measure nothing).
    for label, path, cookie in targets:
        client = Client()
        if cookie:
            client.cookies.load(cookie)
        status = client.get(path).status_code
        assert status == 200, (label, status)
    port = free_port()
    server = start_gunicorn(port, cache_seconds)
    print(
        f"pages, cache {'on' if cache_seconds else 'off'}: gunicorn 4 sync workers, wrk with "
        f"{concurrency} connections on one page at a time, {seconds} s each (after 3 s of warm-up)"
    )
    print(f"{'what':<40} {'req/s':>7} {'not 200':>8} {'p50 ms':>8} {'p95 ms':>8}")
    try:
        for target in targets:
            load(port, target, 3, 4)  # every worker's cache and templates
            found = load(port, target, seconds, concurrency)
            bad = found["not_200"] + found["socket_errors"]
            print(
                f"{target[0]:<40} {found['requests'] / found['seconds']:>7.0f} {bad:>8} "
                f"{found['p50_ms']:>8.0f} {found['p95_ms']:>8.0f}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print()


def measure_deadlines():
    """What loading a year's holiday schedule runs after commit, over every open step."""
    this_year = time.localtime().tm_year
    open_steps = Case.objects.open().filter(due_from__isnull=False).count()
    start = time.perf_counter()
    changed = recalculators.run({this_year, this_year + 1})
    took = time.perf_counter() - start
    print(
        f"deadline recomputation (recalculators.run({{{this_year}, {this_year + 1}}})): "
        f"{open_steps:,} open steps, {changed:,} changed, {took:.1f} s "
        f"({open_steps / took:.0f} steps/s; 1 M open steps at this rate: "
        f"{1_000_000 / (open_steps / took) / 60:.0f} min)\n"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true", help="empty the cases and start over")
    parser.add_argument("--cases", type=int, default=10_000_000)
    parser.add_argument("--seconds", type=int, default=20, help="length of the page load")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--skip", default="", help="comma list of: rollup, coarse, day, load, deadlines"
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    directory_scale.ensure_database()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.rebuild:
        sql(
            "TRUNCATE stats_casefigure, stats_rollupmark, cases_caseevent, cases_assignment, "
            "cases_case RESTART IDENTITY CASCADE"
        )
    if not Station.objects.exists():
        start = time.perf_counter()
        directory_scale.build()
        print(f"built directory in {time.perf_counter() - start:.0f} s", flush=True)
    build_extras()
    have = Case.objects.count()
    if have < args.cases:
        start = time.perf_counter()
        build_cases(args.cases - have)
        print(f"built {args.cases - have:,} cases in {time.perf_counter() - start:.0f} s")
    elif not sql("SELECT 1 FROM pg_tables WHERE tablename = 'bench_station'"):
        build_cases(0)
    url = os.environ["BENCH_DATABASE_URL"]
    print(f"command: BENCH_DATABASE_URL={url} python -W ignore {' '.join(sys.argv)}")
    events = CaseEvent.objects.count()
    print(
        f"cases {Case.objects.count():,} ({Case.objects.open().count():,} open), "
        f"events {events:,}, stations {Station.objects.count():,}, "
        f"departments {Department.objects.count():,}\n",
        flush=True,
    )
    if "rollup" not in skip:
        start = time.perf_counter()
        counted = rollup.rebuild()
        took = time.perf_counter() - start
        print(
            f"rollup rebuild: {counted:,} events in {took:.0f} s ({counted / took:,.0f} events/s)"
            f", {CaseFigure.objects.count():,} figure rows, "
            f"{RegionFigure.objects.count():,} region figure rows\n",
            flush=True,
        )
    if "coarse" not in skip:
        # The coarse rows alone from the fine ones (what rollup.rebuild() ends with).
        start = time.perf_counter()
        with transaction.atomic():
            rows = coarse.rebuild()
        print(
            f"coarse rebuild (coarse.rebuild(), INSERT … SELECT from the fine rows): {rows:,} "
            f"rows in {time.perf_counter() - start:.1f} s\n",
            flush=True,
        )
    if "day" not in skip:
        rollup.update()  # whatever an earlier run left uncounted
        new_events, per_day = add_one_day()
        start = time.perf_counter()
        counted = rollup.update()
        took = time.perf_counter() - start
        print(
            f"incremental rollup of one day: {new_events:,} new events ({per_day:,} new cases) "
            f"counted ({counted:,}) in {took:.1f} s\n",
            flush=True,
        )
    if "load" not in skip:
        targets = page_targets()
        measure_single(targets)
        for cache_seconds in (0, 300):
            measure_pages(targets, args.seconds, args.concurrency, cache_seconds)
    if "deadlines" not in skip:
        measure_deadlines()


if __name__ == "__main__":
    main()
