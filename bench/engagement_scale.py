"""Activities and appointments at province scale: the public calendars and feeds, the staff
activity list, a station's booking page and the staff appointments list, in PostgreSQL.

Builds (once, in its own database) the province of bench/directory_scale.py (20,000 stations,
50,000 deputies), then with set-based SQL:

- `--activities` activities (default 200,000) from a year ago to ten weeks ahead, a fifth of
  the stations holding four fifths of them; past ones mostly held (with the station's deputies
  as attendance), some cancelled; coming ones announced, a few drafts;
- a weekly reception rule per station (09:00–11:30, 30-minute slots, 3 places each) and a duty
  per reception for a year and the coming month, one of the station's deputies in turn (≈1.1M);
- bookings: one a reception at the busy stations, one in ten at the others, and four in five
  places of the coming month taken at the busiest station.

Then it times with Django's test client (no network): a city's public calendar (this month and
next), the city's .ics feed, the staff activity list for a station and a county committee, the
busiest station's booking page (slots for 30 days) and the staff appointments list; and runs
EXPLAIN on every query those requests made, listing any sequential scan of the big tables.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_engagement \\
        .venv/bin/python -W ignore bench/engagement_scale.py [--rebuild] [--repeat 20]

Figures are p50 / p95 over --repeat requests from one run; see bench/README.md.
"""

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/liaison_bench_engagement"
)
import directory_scale
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from liaison.accounts.models import Role, User
from liaison.activities.models import Activity
from liaison.appointments.models import Appointment
from liaison.directory.models import Region, RegionLevel, Station
from liaison.receptions.models import Duty, ReceptionRule

ACTIVITIES = 200_000
BIG_TABLES = (
    "activities_activity",
    "activities_activity_attended_deputies",
    "receptions_duty",
    "receptions_appointment",
    "directory_station",
    "directory_deputy",
)


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def build_activities(count):
    """`count` activities over [a year ago, ten weeks ahead), and attendance for the held ones."""
    sql("SELECT setseed(0.2026)")
    sql(
        """
        WITH s AS (SELECT array_agg(id ORDER BY md5(id::text)) AS ids FROM directory_station),
        k AS (SELECT array_agg(id ORDER BY id) AS ids FROM activities_activitykind),
        base AS (
            SELECT g,
                   CASE WHEN random() < 0.8
                        THEN s.ids[1 + floor(random() * (array_length(s.ids, 1) / 5))::int]
                        ELSE s.ids[1 + floor(random() * array_length(s.ids, 1))::int] END
                       AS station_id,
                   k.ids[1 + floor(random() * array_length(k.ids, 1))::int] AS kind_id,
                   date_trunc('hour', now() - interval '365 days'
                              + random() * interval '435 days') AS starts_at,
                   random() AS r
            FROM generate_series(1, %s) g, s, k
        )
        INSERT INTO activities_activity (station_id, kind_id, title, description, starts_at,
            ends_at, place, capacity, status, minutes, outcomes, public_code, checkin_code,
            allow_walk_ins, held_at, created_at, updated_at)
        SELECT station_id, kind_id, '民情恳谈会第' || g || '期', '议程：听取意见，现场答复。',
               starts_at, starts_at + interval '2 hours', '联络站会议室', 40,
               CASE WHEN starts_at < now() THEN
                        CASE WHEN r < 0.85 THEN 'held' WHEN r < 0.95 THEN 'cancelled'
                             ELSE 'announced' END
                    ELSE CASE WHEN r < 0.9 THEN 'announced' ELSE 'draft' END END,
               '', '', 'BA' || lpad(g::text, 10, '0'), 'BC' || left(md5(g::text), 30),
               true, CASE WHEN starts_at < now() AND r < 0.85 THEN starts_at + interval '3 hours'
                     END,
               starts_at - interval '14 days', starts_at - interval '14 days'
        FROM base
        """,
        [count],
    )
    sql(
        """
        INSERT INTO activities_activity_attended_deputies (activity_id, deputy_id)
        SELECT a.id, ds.deputy_id FROM activities_activity a
        JOIN directory_deputy_stations ds ON ds.station_id = a.station_id
        WHERE a.status = 'held'
        """
    )
    sql(
        """
        INSERT INTO activities_activity_deputies (activity_id, deputy_id)
        SELECT a.id, ds.deputy_id FROM activities_activity a
        JOIN directory_deputy_stations ds ON ds.station_id = a.station_id
        """
    )


def build_duties():
    """A weekly reception rule per station (weekday from its id) and one duty per reception from
    a year ago to a month ahead, the station's deputies in turn; past duties mostly attended."""
    sql("SELECT setseed(0.2027)")
    sql(
        """
        INSERT INTO receptions_receptionrule (station_id, kind, weekday, start_time, end_time,
            place, valid_from, on_holiday, is_active, slot_minutes, slot_capacity)
        SELECT id, 'weekly', id % 5, '09:00', '11:30', '接待室', current_date - 400, 'next',
               true, 30, 3
        FROM directory_station
        """
    )
    sql(
        """
        WITH ds AS (
            SELECT station_id, deputy_id,
                   row_number() OVER (PARTITION BY station_id ORDER BY deputy_id) - 1 AS i,
                   count(*) OVER (PARTITION BY station_id) AS n
            FROM directory_deputy_stations
        ),
        days AS (
            SELECT d::date AS day, row_number() OVER (ORDER BY d) AS w
            FROM generate_series(current_date - 364, current_date + 35, interval '1 day') d
        )
        INSERT INTO receptions_duty (station_id, date, start_time, deputy_id, assigned_at,
            attended, attendance_recorded_at)
        SELECT ds.station_id, days.day, '09:00', ds.deputy_id, now(),
               CASE WHEN days.day >= current_date THEN NULL ELSE random() < 0.9 END,
               CASE WHEN days.day < current_date THEN days.day + interval '12 hours' END
        FROM ds JOIN days ON extract(isodow FROM days.day) - 1 = ds.station_id % 5
        WHERE (days.w / 7) % ds.n = ds.i
        """
    )


def busiest_station_id():
    return (
        Activity.objects.values("station_id")
        .annotate(n=Count("id"))
        .order_by("-n", "station_id")
        .values_list("station_id", flat=True)
        .first()
    )


def build_appointments():
    """One booking per reception at the busy stations (those with the most activities), one in
    ten elsewhere; the busiest station's coming month four places in five taken."""
    sql("SELECT setseed(0.2028)")
    busy = list(
        Activity.objects.values("station_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("station_id", flat=True)[:4000]
    )
    sql("CREATE TEMP TABLE busy (id int PRIMARY KEY)")
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO busy VALUES (%s)", [(i,) for i in busy])
    busiest = busiest_station_id()
    sql(
        """
        WITH src AS (
            SELECT d.station_id, d.date, d.deputy_id, random() AS r,
                   (interval '30 minutes' * floor(random() * 5)) AS offs
            FROM receptions_duty d
            LEFT JOIN busy b ON b.id = d.station_id
            WHERE d.station_id <> %s AND (b.id IS NOT NULL OR random() < 0.1)
            UNION ALL
            SELECT d.station_id, d.date, NULL, random(), interval '30 minutes' * s.k
            FROM receptions_duty d, generate_series(0, 4) s(k), generate_series(1, 3) p(k)
            WHERE d.station_id = %s AND (d.date < current_date OR random() < 0.8)
        )
        INSERT INTO receptions_appointment (station_id, date, start_time, end_time,
            reception_start, deputy_id, topic, name, phone, code, status, language,
            cancel_reason, created_at, verified_at, updated_at)
        SELECT station_id, date, time '09:00' + offs, time '09:30' + offs, '09:00',
               CASE WHEN r < 0.3 THEN deputy_id END, '小区加装电梯的补贴政策', '陈女士',
               '139' || lpad((row_number() OVER ())::text, 8, '0'),
               lpad((row_number() OVER ())::text, 8, '0'),
               CASE WHEN date < current_date THEN
                        CASE WHEN r < 0.65 THEN 'attended' WHEN r < 0.8 THEN 'no_show'
                             ELSE 'cancelled' END
                    ELSE CASE WHEN r < 0.5 THEN 'booked' WHEN r < 0.9 THEN 'confirmed'
                              WHEN r < 0.97 THEN 'cancelled' ELSE 'pending' END END,
               'zh-hans', '', date - 5, date - 5, date - 5
        FROM src
        """,
        [busiest, busiest],
    )
    sql("DROP TABLE busy")


def ensure_data(args):
    directory_scale.ensure_database()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.rebuild:
        sql(
            "TRUNCATE activities_activity, receptions_duty, receptions_receptionrule, "
            "receptions_appointment RESTART IDENTITY CASCADE"
        )
    if not Station.objects.exists():
        start = time.perf_counter()
        directory_scale.build()
        print(f"built directory in {time.perf_counter() - start:.0f} s", flush=True)
    if not Activity.objects.exists():
        start = time.perf_counter()
        build_activities(args.activities)
        print(f"built activities in {time.perf_counter() - start:.0f} s", flush=True)
    if not Duty.objects.exists():
        start = time.perf_counter()
        build_duties()
        print(f"built reception rules and duties in {time.perf_counter() - start:.0f} s")
    if not Appointment.objects.exists():
        start = time.perf_counter()
        build_appointments()
        print(f"built appointments in {time.perf_counter() - start:.0f} s", flush=True)
    sql("ANALYZE")


def user(username, **fields):
    found = User.objects.filter(username=username).first()
    if found is None:
        found = User.objects.create(username=username, is_staff=True, **fields)
    return found


def percentiles(samples):
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples), cuts[18]


def measure(client, url, repeat):
    """p50, p95 (ms), the query count and the captured queries of GET `url`."""
    response = client.get(url)  # warm up
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    p50, p95 = percentiles(samples)
    return p50, p95, queries.captured_queries, len(response.content)


def report(rows, repeat, tables):
    """Print the table of figures, then any sequential scan of `tables` in the queries made."""
    print(f"{'who':<16} {'what':<44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KiB':>6}")
    for who, what, (p50, p95, queries, size) in rows:
        print(
            f"{who:<16} {what[:44]:<44} {p50:>8.1f} {p95:>8.1f} {len(queries):>8} {size >> 10:>6}"
        )
    print(f"({repeat} requests each)\n\nsequential scans on {', '.join(tables)}:")
    found = False
    for who, what, (_p50, _p95, queries, _size) in rows:
        for query in queries:
            sql_text = query["sql"]
            if not sql_text.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql_text)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            for table in tables:
                if f"Seq Scan on {table} " in plan + " ":
                    found = True
                    print(f"- {who} {what}: Seq Scan on {table}\n    {sql_text[:300]}")
    if not found:
        print("none")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--activities", type=int, default=ACTIVITIES)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    ensure_data(args)
    station = Station.objects.select_related("region").get(pk=busiest_station_id())
    codes = station.region.path.strip("/").split("/")
    city = Region.objects.get(code=codes[1], level=RegionLevel.CITY)
    county = Region.objects.get(code=codes[2], level=RegionLevel.COUNTY)
    staff = user("bench_station", role=Role.STATION_STAFF, station=station)
    committee = user("bench_county", role=Role.COMMITTEE_STAFF, region=county)
    city_stations = Station.objects.filter(region__path__startswith=city.path)
    print(
        f"activities {Activity.objects.count():,} "
        f"({Activity.objects.filter(station__in=city_stations).count():,} "
        f"in {city.name}), duties {Duty.objects.count():,}, rules "
        f"{ReceptionRule.objects.count():,}, bookings {Appointment.objects.count():,} "
        f"({Appointment.objects.filter(station=station).count():,} at the busiest station)\n"
    )
    public = Client()
    from django.utils import timezone

    today = timezone.localdate()
    following = f"{today.year + (today.month == 12)}-{today.month % 12 + 1:02d}"
    rows = [
        (
            "public",
            f"city calendar /regions/{city.code}/calendar/",
            measure(public, f"/regions/{city.code}/calendar/", args.repeat),
        ),
        (
            "public",
            "city calendar, next month",
            measure(public, f"/regions/{city.code}/calendar/?month={following}", args.repeat),
        ),
        (
            "public",
            "city .ics (upcoming)",
            measure(public, f"/regions/{city.code}/activities.ics", args.repeat),
        ),
        (
            "public",
            "busiest station's booking page (30 days)",
            measure(public, f"/s/{station.public_code}/book/", args.repeat),
        ),
    ]
    for who, account in (("bench_station", staff), ("bench_county", committee)):
        client = Client()
        client.force_login(account)
        for what, url in (
            ("GET /staff/activities/", "/staff/activities/"),
            ("activities status=held, newest", "/staff/activities/?status=held&sort=newest"),
            ("activities q=恳谈", "/staff/activities/?q=恳谈"),
            ("GET /staff/appointments/", "/staff/appointments/"),
            ("appointments status=booked", "/staff/appointments/?status=booked"),
            ("appointments q=陈", "/staff/appointments/?q=陈"),
        ):
            rows.append((who, what, measure(client, url, args.repeat)))
    report(rows, args.repeat, BIG_TABLES)


if __name__ == "__main__":
    main()
