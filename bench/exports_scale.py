"""A 1,000,000-row case export: peak memory and time of the worker's path (docs/exports.md).

Builds (once, in its own database) the province of bench/cases_scale.py — 31,296 regions,
20,000 stations, 50,000 deputies — and `--cases` cases (default 1,000,000) with its COPY
(`--template liaison_bench_small` starts the new database as a copy of an existing one, which
saves building the directory; the cases then go up to `--cases`). Then, for each format, a fresh
Python process signs in as a committee member of the whole province and writes the case list
("All, including closed": every case) exactly as the worker does (`core.exports.run` on an
ExportJob) — and the 三个一 table of all the province's deputies, most behind first
(`three:csv`) — and reports:

- rows written and seconds (rows per second);
- the process's peak resident memory (VmHWM from /proc/self/status, else
  `resource.getrusage(...).ru_maxrss`), which counts everything: Python, Django, the database
  driver, openpyxl; and, apart, the same figure just before the export started, so the export's
  own share is the difference;
- the file's size.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_exports \\
        nice -n 10 .venv/bin/python -W ignore bench/exports_scale.py [--cases 1000000] \\
        [--template liaison_bench_small] [--runs cases:csv,cases:xlsx,three:csv]

`--cases 0` measures whatever the database holds, building and migrating nothing. The target of
issue 13 is a peak below 200 MB at 1 M rows; see bench/README.md.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/liaison_bench_exports"
)
TARGET_MB = 200


def peak_mb() -> float:
    """This process's peak resident memory. On Linux VmHWM, the high-water mark of this program
    alone: ru_maxrss keeps the parent's size at the fork across exec, so a child started by a
    parent that has just built a million cases would report the parent's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def ensure_database(template: str | None) -> None:
    from psycopg import connect

    url = os.environ["BENCH_DATABASE_URL"]
    base, name = url.rsplit("/", 1)
    with connect(base + "/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        copy = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{copy}')


def build(cases: int) -> None:
    import cases_scale  # sets up Django on BENCH_DATABASE_URL (bench/directory_scale.py)
    from django.core.management import call_command

    from liaison.cases.models import Case
    from liaison.directory.models import Station

    call_command("migrate", verbosity=0)
    if not Station.objects.exists():
        start = time.perf_counter()
        cases_scale.directory_scale.build()
        print(f"built the directory in {time.perf_counter() - start:.0f} s", flush=True)
    cases_scale.build_directory_extras()
    have = Case.objects.count()
    if have < cases:
        start = time.perf_counter()
        cases_scale.copy_cases(cases - have, random.Random(2026 + have))
        print(f"built {cases - have:,} cases in {time.perf_counter() - start:.0f} s", flush=True)


# What each list exports: every case; the 三个一 table of every deputy of the province, most
# behind first (the order that needs a first pass over all of them, records/selectors.py).
PARAMS = {"cases": {"tab": "all", "sort": "oldest"}, "three": {"behind": "", "sort": "behind"}}


def measure(run: str) -> dict:
    """One export in this process (a fresh one per run, so that the peaks are its own)."""
    kind, fmt = run.split(":")
    import directory_scale  # noqa: F401 (sets up Django on BENCH_DATABASE_URL)
    from django.utils import translation

    from liaison.accounts.models import Role, User
    from liaison.core import exports
    from liaison.core.models import ExportJob
    from liaison.directory.models import Region, RegionLevel

    province = Region.objects.filter(level=RegionLevel.PROVINCE).order_by("pk").first()
    user, _ = User.objects.update_or_create(
        username="bench_exports",
        defaults={"role": Role.COMMITTEE_STAFF, "region": province, "is_staff": True},
    )
    job = ExportJob.objects.create(
        owner=user,
        kind=kind,
        format=fmt,
        params=PARAMS[kind],
        language="zh-hans",
        state=ExportJob.State.RUNNING,
    )
    exports.get(kind)  # the registry is read before the baseline, as a worker has it
    before = peak_mb()
    start = time.perf_counter()
    with translation.override("zh-hans"):
        exports.run(job)
    seconds = time.perf_counter() - start
    job.refresh_from_db()
    size = job.file.size if job.file else 0
    if job.file:
        job.file.delete(save=False)  # 1 M rows are not kept on the bench machine
    return {
        "run": run,
        "state": job.state,
        "error": job.error,
        "rows": job.done,
        "seconds": seconds,
        "baseline_mb": before,
        "peak_mb": peak_mb(),
        "file_mb": size / 2**20,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--template", help="start a new database as a copy of this one")
    parser.add_argument("--runs", default="cases:csv,cases:xlsx,three:csv")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    ensure_database(args.template)
    if args.cases:
        build(args.cases)
    url = os.environ["BENCH_DATABASE_URL"]
    print(f"command: BENCH_DATABASE_URL={url} python -W ignore {' '.join(sys.argv)}")
    print(
        f"{'list:format':<11} {'rows':>10} {'s':>8} {'rows/s':>8} {'MB before':>10} {'peak MB':>8} "
        f"{'file MB':>8}"
    )
    worst = 0.0
    for run in args.runs.split(","):
        child = subprocess.run(
            [sys.executable, "-W", "ignore", __file__, "--measure", run],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            sys.exit(child.stderr)
        r = json.loads(child.stdout.strip().splitlines()[-1])
        if r["state"] != "done":
            sys.exit(f"{run}: the export {r['state']}: {r['error']}")
        worst = max(worst, r["peak_mb"])
        print(
            f"{run:<11} {r['rows']:>10,} {r['seconds']:>8.1f} {r['rows'] / r['seconds']:>8.0f} "
            f"{r['baseline_mb']:>10.0f} {r['peak_mb']:>8.0f} {r['file_mb']:>8.1f}",
            flush=True,
        )
    verdict = "within" if worst < TARGET_MB else "OVER"
    print(f"\npeak resident memory {worst:.0f} MB: {verdict} the target of {TARGET_MB} MB")


if __name__ == "__main__":
    main()
