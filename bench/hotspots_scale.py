"""Hot topics (热点) at province scale: 100,000 messages of the last 30 days clustered per county
and per city, as the nightly job `triage.hotspots` does (`liaison triage hotspots`). Budget:
< 5 minutes on the 2-core machine (issue 18).

Builds (once) the demo directory and `--messages` generated cases in its own database
(PostgreSQL by default, BENCH_DATABASE_URL to change): `liaison triage generate` writes varied
Chinese texts (liaison/cases/triage_texts.py, not the hand-written texts of the tests), spread
over two years; one set-based UPDATE then spreads them over the last 30 days and marks them
verified. Then it times one run of `hotspots.compute()` (reading, clustering, storing) and
prints the largest growing topics.

    .venv/bin/python -W ignore bench/hotspots_scale.py [--messages 100000]

Figures: bench/README.md.
"""

import argparse
import time

from benchsetup import ensure_database, start_django

start_django("postgres://postgres@127.0.0.1:5432/liaison_hotspots_bench")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from liaison.cases.models import Case  # noqa: E402
from liaison.directory.models import Department  # noqa: E402
from liaison.triage import hotspots  # noqa: E402
from liaison.triage.models import Hotspot  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    ensure_database()
    call_command("migrate", verbosity=0)
    if not Department.objects.exists():
        call_command("load_demo", "--force", verbosity=0)  # its own database
    have = Case.objects.count()
    if have < args.messages:
        start = time.perf_counter()
        call_command("triage", "generate", "--assignments", str(args.messages - have))
        print(f"generated {args.messages - have:,} cases in {time.perf_counter() - start:.0f} s")
        # Set-based: every message within the last 30 days (deterministic spread by id), open.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cases_case SET created_at = now() - (id % 43200) * interval '1 minute', "
                "status = 'submitted', closed_at = NULL"
            )
    print(f"database: {connection.vendor}, {Case.objects.count():,} cases")

    start = time.perf_counter()
    outcome = hotspots.compute()
    seconds = time.perf_counter() - start
    print(
        f"\nliaison triage hotspots: {outcome.messages:,} messages → {outcome.hotspots:,} hot "
        f"topics in {seconds:.1f} s (budget 300 s)"
    )
    for level in Hotspot.Level:
        rows = Hotspot.objects.filter(level=level)
        print(f"  {level.label}: {rows.count():,} topics")
        for topic in rows.order_by("-growth", "-size")[:5]:
            print(
                f"    {topic.label}: {topic.station_count} stations, {topic.size} cases, "
                f"+{topic.growth} on last week, {topic.supporters} supporters"
            )


if __name__ == "__main__":
    main()
