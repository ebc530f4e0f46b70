"""Formal suggestions (代表建议) at province scale: the three lists and their .xlsx exports for a
county committee, a city committee and a handling unit, in PostgreSQL.

Builds (once, in its own database) the province of bench/directory_scale.py (20,000 stations,
50,000 deputies), 30 handling units per county and 10 per city (3,080), then with set-based SQL
`--suggestions` suggestions (default 100,000) over five years: most closed, a fifth being
handled; about two co-signers each; for every assigned, answered or closed one a lead unit and
0–4 joint or co-handling units (≈300,000 assignments), units of the suggestion's county or its
city, a few units much busier than the rest.

Then it times with Django's test client (no network) the suggestion list (建议清单), the
assignment list (交办清单) and the outcome list (效果清单) — unfiltered, filtered and searched — and
their .xlsx exports, and runs EXPLAIN on every query those requests made, listing any sequential
scan of the big tables.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_suggestions \\
        .venv/bin/python -W ignore bench/suggestions_scale.py [--rebuild] [--repeat 20]

Figures are p50 / p95 over --repeat requests from one run; see bench/README.md.
"""

import argparse
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/liaison_bench_suggestions"
)
import directory_scale
from cases_scale import build_directory_extras
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from engagement_scale import measure, report, sql, user

from liaison.accounts.models import Role
from liaison.directory.models import Department, Region, RegionLevel, Station
from liaison.suggestions.exports import MAX_ROWS
from liaison.suggestions.models import Suggestion, SuggestionAssignment

SUGGESTIONS = 100_000
BIG_TABLES = (
    "suggestions_suggestion",
    "suggestions_suggestionassignment",
    "suggestions_cosigner",
    "directory_deputy",
    "directory_department",
)
UNITS = ["住房和城乡建设局", "交通运输局", "教育局", "卫生健康局", "民政局", "生态环境局",
         "城市管理局", "自然资源和规划局", "人力资源和社会保障局", "市场监督管理局"]  # fmt: skip


def build_departments():
    sql(
        """
        INSERT INTO directory_department (code, name, region_id, level, phone, is_active,
            created_at, updated_at)
        SELECT 'U' || r.code || '-' || n, r.name || (%s::text[])[1 + n %% 10]
               || CASE WHEN n >= 10 THEN n::text ELSE '' END,
               r.id, CASE r.level WHEN 2 THEN 2 ELSE 3 END, '', true, now(), now()
        FROM directory_region r,
             generate_series(0, 29) n
        WHERE (r.level = 3) OR (r.level = 2 AND n < 10)
        """,
        [UNITS],
    )


def build_suggestions(count):
    sql("SELECT setseed(0.2029)")
    sql(
        """
        CREATE TEMP TABLE units AS
        SELECT r.path, array_agg(d.id ORDER BY d.code) AS ids
        FROM directory_department d JOIN directory_region r ON r.id = d.region_id
        GROUP BY r.path
        """
    )
    sql(
        """
        WITH dep AS (SELECT array_agg(id ORDER BY id) AS ids FROM directory_deputy),
        cat AS (SELECT array_agg(id ORDER BY id) AS ids FROM directory_category),
        base AS (
            SELECT g, dep.ids[1 + floor(random() * array_length(dep.ids, 1))::int] AS deputy_id,
                   cat.ids[1 + floor(random() * array_length(cat.ids, 1))::int] AS category_id,
                   2022 + floor(random() * 5)::int AS year, random() AS r, random() AS r2
            FROM generate_series(1, %s) g, dep, cat
        ),
        s AS (
            SELECT base.*, rg.path AS region_path,
                   (SELECT min(station_id) FROM directory_deputy_stations x
                    WHERE x.deputy_id = base.deputy_id) AS station_id,
                   make_timestamptz(year, 1, 1, 0, 0, 0, 'Asia/Shanghai')
                     + r2 * (CASE WHEN year = 2026 THEN interval '320 days'
                             ELSE interval '360 days' END) AS created,
                   CASE WHEN r < 0.03 THEN 'draft' WHEN r < 0.06 THEN 'submitted'
                        WHEN r < 0.07 THEN 'returned' WHEN r < 0.10 THEN 'accepted'
                        WHEN r < 0.30 THEN 'assigned' WHEN r < 0.40 THEN 'answered'
                        WHEN r < 0.97 THEN 'closed' ELSE 'withdrawn' END AS status
            FROM base JOIN directory_deputy d ON d.id = base.deputy_id
            JOIN directory_region rg ON rg.id = d.region_id
        )
        INSERT INTO suggestions_suggestion (number, status, year, congress, session_kind,
            lead_deputy_id, region_path, station_id, category_id, title, reasons, proposals,
            from_station_work, return_reason, is_complex, is_key, key_note, grade, answer,
            grade_reasons, achieved, answered_at, round, evaluation, evaluation_note,
            evaluated_at, created_at, updated_at, submitted_at, accepted_at, assigned_at,
            closed_at)
        SELECT CASE WHEN status IN ('accepted', 'assigned', 'answered', 'closed')
                    THEN year || '-' || lpad(g::text, 6, '0') END,
               status, year, '第十七届', CASE WHEN r2 < 0.6 THEN 'session' ELSE 'interim' END,
               deputy_id, region_path, station_id, category_id,
               '关于加快老旧小区加装电梯的建议（' || g || '）', '群众反映上下楼困难。',
               '建议简化审批，加大补贴。', r2 < 0.4,
               CASE WHEN status = 'returned' THEN '请补充理由' ELSE '' END, false,
               r2 < 0.02, '', CASE WHEN status IN ('answered', 'closed')
                                   THEN (ARRAY['A', 'B', 'C', 'D'])[1 + (g %% 4)] ELSE '' END,
               CASE WHEN status IN ('answered', 'closed') THEN '已研究办理。' ELSE '' END, '',
               CASE WHEN status IN ('answered', 'closed') THEN '已完成改造。' ELSE '' END,
               CASE WHEN status IN ('answered', 'closed') THEN created + interval '100 days' END,
               1, CASE WHEN status = 'closed'
                       THEN (ARRAY['satisfied', 'satisfied', 'basic', 'unsatisfied'])[1 + g %% 4]
                       ELSE '' END, '',
               CASE WHEN status = 'closed' THEN created + interval '110 days' END,
               created, created,
               CASE WHEN status <> 'draft' THEN created + interval '2 days' END,
               CASE WHEN status IN ('accepted', 'assigned', 'answered', 'closed')
                    THEN created + interval '5 days' END,
               CASE WHEN status IN ('assigned', 'answered', 'closed')
                    THEN created + interval '7 days' END,
               CASE WHEN status IN ('closed', 'withdrawn') THEN created + interval '110 days' END
        FROM s
        """,
        [count],
    )
    sql(
        """
        WITH dep AS (SELECT array_agg(id ORDER BY id) AS ids FROM directory_deputy)
        INSERT INTO suggestions_cosigner (suggestion_id, deputy_id, confirmed_at)
        SELECT s.id, dep.ids[1 + floor(random() * array_length(dep.ids, 1))::int],
               CASE WHEN random() < 0.9 THEN s.created_at + interval '1 day' END
        FROM suggestions_suggestion s, dep, generate_series(1, 2)
        ON CONFLICT DO NOTHING
        """
    )
    # Units: of the suggestion's county (four in five) or its city; the first unit of each
    # list is the busy one (住建局 gets a third of its region's work).
    sql(
        """
        WITH a AS (
            SELECT s.id, s.status, s.assigned_at, s.answered_at, k,
                   CASE WHEN random() < 0.8 THEN cu.ids ELSE ci.ids END AS ids,
                   random() AS r
            FROM suggestions_suggestion s
            JOIN units cu ON cu.path = '/' || split_part(trim(both '/' from s.region_path), '/', 1)
                 || '/' || split_part(trim(both '/' from s.region_path), '/', 2)
                 || '/' || split_part(trim(both '/' from s.region_path), '/', 3) || '/'
            JOIN units ci ON ci.path = '/' || split_part(trim(both '/' from s.region_path), '/', 1)
                 || '/' || split_part(trim(both '/' from s.region_path), '/', 2) || '/'
            CROSS JOIN LATERAL generate_series(0, floor(random() * 6)::int) k
            WHERE s.status IN ('assigned', 'answered', 'closed')
        )
        INSERT INTO suggestions_suggestionassignment (suggestion_id, department_id, role, state,
            assigned_at, due_at, change_until, change_reason, opinion, opinion_at, created_at,
            updated_at)
        SELECT id, CASE WHEN r < 0.33 THEN ids[1]
                        ELSE ids[1 + floor(random() * array_length(ids, 1))::int] END,
               CASE WHEN k = 0 THEN 'lead' WHEN k % 2 = 1 THEN 'joint' ELSE 'co' END,
               CASE WHEN status = 'assigned' THEN 'handling'
                    WHEN k = 0 THEN 'answered' ELSE 'opinion_sent' END,
               assigned_at, assigned_at + interval '3 months', assigned_at + interval '10 days',
               '', CASE WHEN status <> 'assigned' AND k > 0 THEN '同意。' ELSE '' END,
               CASE WHEN status <> 'assigned' AND k > 0 THEN answered_at - interval '5 days' END,
               assigned_at, assigned_at
        FROM a
        """
    )
    sql("DROP TABLE units")


def ensure_data(args):
    directory_scale.ensure_database()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.rebuild:
        sql(
            "TRUNCATE suggestions_suggestion, suggestions_cosigner, "
            "suggestions_suggestionassignment, directory_department RESTART IDENTITY CASCADE"
        )
    if not Station.objects.exists():
        start = time.perf_counter()
        directory_scale.build()
        print(f"built directory in {time.perf_counter() - start:.0f} s", flush=True)
    build_directory_extras()
    if not Department.objects.exists():
        build_departments()
    if not Suggestion.objects.exists():
        start = time.perf_counter()
        build_suggestions(args.suggestions)
        print(f"built suggestions in {time.perf_counter() - start:.0f} s", flush=True)
    sql("ANALYZE")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--suggestions", type=int, default=SUGGESTIONS)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    ensure_data(args)
    busiest = (
        SuggestionAssignment.objects.values("department_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    unit = Department.objects.select_related("region").get(pk=busiest["department_id"])
    codes = unit.region.path.strip("/").split("/")
    city = Region.objects.get(code=codes[1], level=RegionLevel.CITY)
    county = Region.objects.filter(parent=city, level=RegionLevel.COUNTY).order_by("code").first()
    accounts = {
        "bench_county": user("bench_county", role=Role.COMMITTEE_STAFF, region=county),
        "bench_city": user("bench_city", role=Role.COMMITTEE_STAFF, region=city),
        "bench_unit": user("bench_unit", role=Role.DEPARTMENT_HANDLER, department=unit),
    }
    print(
        f"suggestions {Suggestion.objects.count():,} "
        f"({Suggestion.objects.filter(region_path__startswith=county.path).count():,} in "
        f"{county.name}, {Suggestion.objects.filter(region_path__startswith=city.path).count():,}"
        f" in {city.name}), assignments {SuggestionAssignment.objects.count():,} "
        f"({busiest['n']:,} for {unit.name}); export cap {MAX_ROWS:,} rows, built in memory\n"
    )
    pages = [
        ("建议清单", "/staff/suggestions/"),
        ("建议清单 status=assigned, number", "/staff/suggestions/?status=assigned&sort=number"),
        ("建议清单 q=电梯", "/staff/suggestions/?q=电梯"),
        ("建议清单 .xlsx (year filter)", "/staff/suggestions/?year=2025&export=xlsx"),
        ("交办清单", "/staff/suggestions/assignments/"),
        ("交办清单 overdue", "/staff/suggestions/assignments/?overdue=on"),
        ("交办清单 q=电梯", "/staff/suggestions/assignments/?q=电梯"),
        ("交办清单 .xlsx (year filter)", "/staff/suggestions/assignments/?year=2025&export=xlsx"),
        ("效果清单", "/staff/suggestions/outcomes/"),
        ("效果清单 grade=A", "/staff/suggestions/outcomes/?grade=A"),
        ("效果清单 .xlsx (year filter)", "/staff/suggestions/outcomes/?year=2025&export=xlsx"),
    ]
    rows = []
    for who, account in accounts.items():
        client = Client()
        client.force_login(account)
        for what, url in pages:
            rows.append((who, what, measure(client, url, args.repeat)))
    report(rows, args.repeat, BIG_TABLES)


if __name__ == "__main__":
    main()
