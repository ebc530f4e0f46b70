"""Directory at province scale: public pages and searches against a large PostgreSQL directory.

Builds (once, in its own database) a province with 11 cities, 99 counties, 1,485 streets,
29,700 communities, 20,000 stations and 50,000 deputies, then times the public pages with
Django's test client and shows the query plans of the searches (no sequential scan of a big
table). Run:

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench \\
        .venv/bin/python bench/directory_scale.py [--rebuild] [--repeat 30]

Figures are medians over --repeat requests from one run; see bench/README.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault(
    "STATIC_ROOT", str(Path(__file__).resolve().parents[1] / "var" / "bench-static")
)
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/liaison_bench"
)
os.environ["DJANGO_SETTINGS_MODULE"] = "liaison.settings"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from liaison.directory.models import (  # noqa: E402
    Deputy,
    DeputyLevel,
    Region,
    RegionLevel,
    Station,
    StationKind,
    new_public_code,
)

CITIES, COUNTIES, STREETS, COMMUNITIES = 11, 9, 15, 20
STATIONS, DEPUTIES = 20_000, 50_000


def ensure_database():
    from psycopg import connect

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def unique_codes(count: int) -> list[str]:
    """`count` public codes, none twice (at 50,000 codes two random ones meet now and then)."""
    codes = set()
    while len(codes) < count:
        codes.add(new_public_code())
    return list(codes)


def build():
    rng = random.Random(2026)
    province = Region.objects.create(code="990000000000", name="示范省", level=RegionLevel.PROVINCE)
    streets = []
    for c in range(1, CITIES + 1):
        city = Region.objects.create(
            code=f"99{c:02d}00000000", name=f"第{c}市", level=RegionLevel.CITY, parent=province
        )
        for k in range(1, COUNTIES + 1):
            county = Region.objects.create(
                code=f"99{c:02d}{k:02d}000000",
                name=f"第{c}市{k}区",
                level=RegionLevel.COUNTY,
                parent=city,
            )
            for s in range(1, STREETS + 1):
                street = Region(
                    code=f"99{c:02d}{k:02d}{s:03d}000",
                    name=f"{county.name}{s}街道",
                    level=RegionLevel.TOWNSHIP,
                    parent=county,
                )
                street.path = f"{county.path}{street.code}/"
                streets.append(street)
    Region.objects.bulk_create(streets, batch_size=2000)
    streets = list(Region.objects.filter(level=RegionLevel.TOWNSHIP))
    communities = []
    for street in streets:
        for v in range(1, COMMUNITIES + 1):
            community = Region(
                code=f"{street.code[:9]}{v:03d}",
                name=f"{street.name}{v}社区",
                level=RegionLevel.COMMUNITY,
                parent=street,
            )
            community.path = f"{street.path}{community.code}/"
            communities.append(community)
    Region.objects.bulk_create(communities, batch_size=5000)
    communities = list(Region.objects.filter(level=RegionLevel.COMMUNITY).only("id"))
    kinds = list(StationKind.values)
    stations = [
        Station(
            code=f"S{i:06d}",
            name=f"示范联络站{i}",
            kind=rng.choice(kinds),
            region_id=rng.choice(communities).id,
            address=f"示范路{i}号",
            latitude=Decimal(f"{rng.uniform(27.0, 31.0):.6f}"),
            longitude=Decimal(f"{rng.uniform(118.0, 122.5):.6f}"),
            public_code=code,
        )
        for i, code in enumerate(unique_codes(STATIONS))
    ]
    Station.objects.bulk_create(stations, batch_size=5000)
    station_ids = list(Station.objects.values_list("id", flat=True))
    deputies = [
        Deputy(
            code=f"D{i:07d}",
            name=f"代表{i}",
            level=rng.choice(list(DeputyLevel.values)),
            term="第十七届",
            region_id=rng.choice(communities).id,
            public_phone="13800000000",
            public_code=code,
        )
        for i, code in enumerate(unique_codes(DEPUTIES))
    ]
    Deputy.objects.bulk_create(deputies, batch_size=5000)
    through = Deputy.stations.through
    links = [
        through(deputy_id=d, station_id=rng.choice(station_ids))
        for d in Deputy.objects.values_list("id", flat=True)
    ]
    through.objects.bulk_create(links, batch_size=10000, ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(client, url, repeat):
    client.get(url)  # warm caches and connections
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(samples), max(samples), len(queries.captured_queries), queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    ensure_database()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.rebuild:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE directory_deputy_stations, directory_deputy, "
                "directory_station, directory_region CASCADE"
            )
    if not Station.objects.exists():
        start = time.perf_counter()
        build()
        print(f"built directory in {time.perf_counter() - start:.0f} s")
    station = Station.objects.order_by("id")[STATIONS // 2]
    deputy = Deputy.objects.filter(stations__isnull=False).order_by("id")[DEPUTIES // 2]
    street = Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code")[700]
    client = Client()
    pages = {
        "home (no filter)": "/",
        "search by name": "/?q=示范联络站1234",
        "filter by street": f"/?region={street.code}",
        "nearby": "/?lat=29.2&lng=120.1",
        "nearby, sparse area": "/?lat=40.0&lng=130.0",
        "station page": station.get_absolute_url(),
        "deputy page": deputy.get_absolute_url(),
        "deputy QR (PNG)": f"{deputy.get_absolute_url()}qr.png",
        "deputy sign (PDF)": f"{deputy.get_absolute_url()}sign.pdf",
    }
    print(
        f"regions {Region.objects.count():,}, stations {Station.objects.count():,}, "
        f"deputies {Deputy.objects.count():,}; {args.repeat} requests each"
    )
    print(f"{'page':<22} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    plans = {}
    for label, url in pages.items():
        median, worst, count, queries = timed(client, url, args.repeat)
        print(f"{label:<22} {median:>10.1f} {worst:>8.1f} {count:>8}")
        plans[label] = queries
    print("\nsequential scans on big tables in those pages' queries:")
    big = ("directory_station", "directory_deputy", "directory_region")
    found = False
    for label, queries in plans.items():
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            for table in big:
                if f"Seq Scan on {table} " in plan + " ":
                    found = True
                    print(f"- {label}: Seq Scan on {table}\n    {sql[:160]}")
    if not found:
        print("none")


if __name__ == "__main__":
    main()
