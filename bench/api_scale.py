"""API throughput over the 1,000,000 cases of bench/cases_scale.py (which builds them; this
script never rebuilds): requests per second and p95 for

- submission: POST /api/v1/cases/ with an application key (scope cases:submit) when that endpoint
  answers 201, else POST /open311/v2/requests.json (the same service) — the output says which;
- listing: GET /api/v1/staff/cases/ with a personal token (scope "staff") of the busiest
  station's staff member, and the public GET /api/v1/stations/.

Sequential requests through Django's test client in one process (no network, no server).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_cases \\
        .venv/bin/python -W ignore bench/api_scale.py [--requests 200]
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/liaison_bench_cases"
)
import cases_scale
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from liaison.api.keys import create_key
from liaison.directory.models import Category, Station


def measure(label, count, send):
    send(0)  # warm up
    samples = []
    start = time.perf_counter()
    for i in range(1, count + 1):
        began = time.perf_counter()
        response = send(i)
        samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code < 300, (label, response.status_code, response.content[:300])
    rate = count / (time.perf_counter() - start)
    _p50, p95 = cases_scale.percentiles(samples)
    print(f"{label:<60} {rate:>8.1f} {p95:>8.1f}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    settings.API_THROTTLE_ANON = settings.API_THROTTLE_USER = "1000000/min"
    users = cases_scale.bench_users()
    station = Station.objects.get(pk=users["bench_station"].station_id)
    category = Category.objects.filter(is_active=True).first()
    _k, app_key = create_key(name="bench app", scopes=["cases:submit"])
    _k, staff_token = create_key(name="bench", user=users["bench_station"], scopes=["staff"])
    client = Client()
    app = {"HTTP_AUTHORIZATION": f"Bearer {app_key}"}
    staff = {"HTTP_AUTHORIZATION": f"Bearer {staff_token}"}

    def api_submit(i):
        body = {
            "station": station.public_code,
            "category": category.code,
            "title": f"bench {i}",
            "description": "路灯不亮，请尽快修理。",
            "citizen_phone": f"139{i:08d}"[:11],
            "privacy_accepted": True,
        }
        return client.post("/api/v1/cases/", body, content_type="application/json", **app)

    def open311_submit(i):
        body = {
            "api_key": app_key,
            "service_code": category.code,
            "address_string": station.address or "bench",
            "description": f"bench {i}: 路灯不亮，请尽快修理。",
            "phone": f"139{i:08d}"[:11],
            "lat": "30.27",
            "long": "120.15",
        }
        return client.post("/open311/v2/requests.json", body)

    probe = api_submit(0)
    if probe.status_code == 201:
        submit, submit_label = api_submit, "POST /api/v1/cases/ (application key)"
    else:
        print(f"POST /api/v1/cases/ answered {probe.status_code}: measuring Open311 instead")
        submit, submit_label = open311_submit, "POST /open311/v2/requests.json (same service)"

    print(f"{'what':<60} {'req/s':>8} {'p95 ms':>8}")
    measure(submit_label, args.requests, submit)
    for label, url in [
        ("GET /api/v1/staff/cases/ (station staff token)", "/api/v1/staff/cases/"),
        ("GET /api/v1/staff/cases/?overdue=true", "/api/v1/staff/cases/?overdue=true"),
        (
            "GET /api/v1/staff/cases/?ordering=-created_at",
            "/api/v1/staff/cases/?ordering=-created_at",
        ),
    ]:
        measure(label, args.requests, lambda i, url=url: client.get(url, **staff))
    measure(
        "GET /api/v1/stations/ (public)", args.requests, lambda i: client.get("/api/v1/stations/")
    )


if __name__ == "__main__":
    main()
