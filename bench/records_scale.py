"""Performance records (履职档案) and 三个一 at province scale, in PostgreSQL.

Builds (once, in its own database) the province of bench/directory_scale.py (20,000 stations,
50,000 deputies) and with it everything a record is read from:

- 1,000,000 cases with their timeline (bench/cases_scale.py's generator), plus a `case.replied`
  event by the case's deputy for every handled case that has one;
- a weekly reception per station and a duty per reception for a year and the coming month
  (≈1.1M duties, nine in ten attended; bench/engagement_scale.py's generator);
- ≈500,000 visits on those reception days, each naming the deputy on duty;
- 200,000 activities, the held ones with the station's deputies as attendance;
- 100,000 record entries (four in five confirmed) and 100,000 formal suggestions with
  co-signers (bench/suggestions_scale.py's generator).

Then it times with Django's test client (no network) the 三个一 overview (/staff/records/) for a
station, a street committee, a county committee and a city committee — by name, "only those
behind" and "most behind first" — a deputy's record page and annual report (PDF), and the public
deputy page, and runs EXPLAIN on every query those requests made, listing any sequential scan of
the big tables.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_records \\
        .venv/bin/python -W ignore bench/records_scale.py [--rebuild] [--repeat 20]

Figures are p50 / p95 over --repeat requests from one run; see bench/README.md.
"""

import argparse
import logging
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/liaison_bench_records"
)
import cases_scale
import directory_scale
import engagement_scale
import suggestions_scale
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from engagement_scale import measure, report, sql, user

from liaison.accounts.models import Role
from liaison.activities.models import Activity
from liaison.cases.models import Case, CaseEvent
from liaison.directory.models import Department, Deputy, Region, RegionLevel, Station
from liaison.receptions.models import Duty, Visit
from liaison.records.models import RecordEntry
from liaison.suggestions.models import Suggestion

BIG_TABLES = (
    "cases_case",
    "cases_caseevent",
    "receptions_duty",
    "receptions_visit",
    "receptions_visit_deputies",
    "activities_activity",
    "activities_activity_attended_deputies",
    "records_recordentry",
    "suggestions_suggestion",
    "suggestions_cosigner",
    "directory_deputy",
    "directory_deputy_stations",
)


def build_responses():
    sql(
        """
        INSERT INTO cases_caseevent (case_id, created_at, actor_label, verb, from_status,
            to_status, note, is_public, data)
        SELECT id, created_at + interval '1 day', '代表', 'case.replied', status, status,
               '', true, '{}'
        FROM cases_case
        WHERE deputy_id IS NOT NULL
          AND status IN ('in_progress', 'feedback', 'answered', 'closed')
        """
    )


def build_visits():
    """About half of the attended past duties received a visitor (≈500,000 visits)."""
    sql("SELECT setseed(0.2030)")
    sql(
        """
        INSERT INTO receptions_visit (station_id, received_on, visitor_name, visitor_phone,
            visitor_address, notes, created_at)
        SELECT station_id, date, '王先生', '13900000000', '', 'bench:' || deputy_id,
               date + interval '10 hours'
        FROM receptions_duty
        WHERE attended AND date < current_date AND random() < 0.6
        """
    )
    sql(
        """
        INSERT INTO receptions_visit_deputies (visit_id, deputy_id)
        SELECT id, substr(notes, 7)::int FROM receptions_visit WHERE notes LIKE 'bench:%'
        """
    )


def build_entries(count):
    sql("SELECT setseed(0.2031)")
    sql(
        """
        WITH dep AS (SELECT array_agg(id ORDER BY id) AS ids FROM directory_deputy),
        base AS (
            SELECT g, dep.ids[1 + floor(random() * array_length(dep.ids, 1))::int] AS deputy_id,
                   (ARRAY['inspection', 'survey', 'meeting', 'training', 'voter_contact',
                          'report', 'other'])[1 + floor(random() * 7)::int] AS kind,
                   current_date - floor(random() * 600)::int AS day, random() AS r
            FROM generate_series(1, %s) g, dep
        )
        INSERT INTO records_recordentry (deputy_id, kind, date, title, description, status,
            rejection_reason, created_at, confirmed_at, rejected_at, updated_at)
        SELECT deputy_id, kind, day, '参加专题调研（' || g || '）', '',
               CASE WHEN r < 0.8 THEN 'confirmed' WHEN r < 0.95 THEN 'pending'
                    ELSE 'rejected' END,
               CASE WHEN r >= 0.95 THEN '缺少佐证材料' ELSE '' END,
               day + interval '1 day',
               CASE WHEN r < 0.8 THEN day + interval '3 days' END,
               CASE WHEN r >= 0.95 THEN day + interval '3 days' END,
               day + interval '3 days'
        FROM base
        """,
        [count],
    )


def ensure_data(args):
    directory_scale.ensure_database()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.rebuild:
        sql(
            "TRUNCATE cases_caseevent, cases_assignment, cases_case, receptions_duty, "
            "receptions_visit, receptions_receptionrule, activities_activity, "
            "records_recordentry, suggestions_suggestion, directory_department "
            "RESTART IDENTITY CASCADE"
        )
    if not Station.objects.exists():
        start = time.perf_counter()
        directory_scale.build()
        print(f"built directory in {time.perf_counter() - start:.0f} s", flush=True)
    cases_scale.build_directory_extras()
    steps = [
        ("cases", lambda: Case.objects.exists(), lambda: cases_scale.copy_cases(
            args.cases, random.Random(2026))),
        ("deputies' replies", lambda: CaseEvent.objects.filter(verb="case.replied").exists(),
         build_responses),
        ("duties", lambda: Duty.objects.exists(), engagement_scale.build_duties),
        ("visits", lambda: Visit.objects.exists(), build_visits),
        ("activities", lambda: Activity.objects.exists(),
         lambda: engagement_scale.build_activities(engagement_scale.ACTIVITIES)),
        ("record entries", lambda: RecordEntry.objects.exists(), lambda: build_entries(100_000)),
        ("units", lambda: Department.objects.exists(), suggestions_scale.build_departments),
        ("suggestions", lambda: Suggestion.objects.exists(),
         lambda: suggestions_scale.build_suggestions(suggestions_scale.SUGGESTIONS)),
    ]  # fmt: skip
    for name, done, build in steps:
        if not done():
            start = time.perf_counter()
            build()
            print(f"built {name} in {time.perf_counter() - start:.0f} s", flush=True)
    sql("ANALYZE")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    ensure_data(args)
    # The deputy with the most cases, and the station, street, county and city around them.
    deputy_id = (
        Case.objects.filter(deputy__isnull=False)
        .values("deputy_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("deputy_id", flat=True)[0]
    )
    deputy = Deputy.objects.get(pk=deputy_id)
    station = deputy.stations.select_related("region").first()
    codes = station.region.path.strip("/").split("/")
    city, county, street = (
        Region.objects.get(code=codes[1], level=RegionLevel.CITY),
        Region.objects.get(code=codes[2], level=RegionLevel.COUNTY),
        Region.objects.get(code=codes[3], level=RegionLevel.TOWNSHIP),
    )
    accounts = {
        "bench_station": user("bench_station", role=Role.STATION_STAFF, station=station),
        "bench_street": user("bench_street", role=Role.COMMITTEE_STAFF, region=street),
        "bench_county": user("bench_county", role=Role.COMMITTEE_STAFF, region=county),
        "bench_city": user("bench_city", role=Role.COMMITTEE_STAFF, region=city),
    }
    print(
        f"cases {Case.objects.count():,}, events {CaseEvent.objects.count():,}, duties "
        f"{Duty.objects.count():,}, visits {Visit.objects.count():,}, activities "
        f"{Activity.objects.count():,} (attendance "
        f"{Activity.attended_deputies.through.objects.count():,}), entries "
        f"{RecordEntry.objects.count():,}, suggestions {Suggestion.objects.count():,}\n"
    )
    rows = []
    for who, account in accounts.items():
        client = Client()
        client.force_login(account)
        for what, url in (
            ("GET /staff/records/", "/staff/records/"),
            ("records ?behind=on", "/staff/records/?behind=on"),
            ("records ?sort=behind&page=2", "/staff/records/?sort=behind&page=2"),
        ):
            rows.append((who, what, measure(client, url, args.repeat)))
    client = Client()
    client.force_login(accounts["bench_county"])
    record_url = f"/staff/records/deputies/{deputy.pk}/"
    rows.append(("bench_county", "deputy's record page", measure(client, record_url, args.repeat)))
    rows.append(
        ("bench_county", "annual report (PDF)", measure(client, record_url + "report.pdf", 5))
    )
    rows.append(("public", "public deputy page", measure(Client(), deputy.get_absolute_url(),
                                                          args.repeat)))  # fmt: skip
    report(rows, args.repeat, BIG_TABLES)


if __name__ == "__main__":
    main()
