"""The outbox under load: N SMS notices through the real worker (`liaison worker`, separate OS
processes) to a local stand-in of the gateway (tests/notifications/gateway_servers.py).

Three runs on a fresh outbox each:

1. a clean gateway, one worker: throughput (notices/s);
2. a clean gateway, two workers: throughput;
3. the gateway failing a fraction of the calls (retryable throttling errors, 20 % by default) and
   one of two workers killed with SIGKILL `--kills` times and started again. Every row must end
   `sent` and reach the gateway with an "ok" (0 lost, else the exit status is 1); ids the gateway
   accepted more than once are duplicates, which at-least-once delivery allows: they are counted.

The database is the bench's own: PostgreSQL when BENCH_DATABASE_URL is set (a database this run
creates, and drops at the end; it refuses one that exists already, so it never drops a database
it did not make), else a SQLite file in a temporary directory.

    .venv/bin/python -W ignore bench/notifications_outbox.py [--notices 10000] [--kills 2]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_outbox \\
        .venv/bin/python -W ignore bench/notifications_outbox.py
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.notifications.gateway_servers import (  # noqa: E402
    SECRET_ID,
    SECRET_KEY,
    AliyunServer,
    TencentCloudServer,
)

SERVERS = {"tencentcloud": TencentCloudServer, "aliyun": AliyunServer}
SITE_URL = "https://liaison.example.cn"


def options(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=10_000, help="per run (default 10,000)")
    parser.add_argument("--gateway", choices=sorted(SERVERS), default="tencentcloud")
    parser.add_argument("--failing", type=float, default=0.2, help="fraction of failed calls")
    parser.add_argument("--kills", type=int, default=2, help="SIGKILLs in the failing run")
    parser.add_argument("--lease", type=int, default=3, help="NOTIFICATIONS_LEASE_SECONDS")
    parser.add_argument("--retry", type=float, default=0.2, help="NOTIFICATIONS_RETRY_SECONDS")
    parser.add_argument("--seed", type=int, default=2026, help="of the gateway's failures")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per run at most")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    if args.notices < 1 or args.kills < 0 or not 0 <= args.failing < 1:
        parser.error("--notices must be positive, --kills not negative, --failing in [0, 1).")
    return args


class Database:
    """The bench's own database: created here, dropped at the end."""

    def __init__(self, workdir: Path):
        self.url = os.environ.get("BENCH_DATABASE_URL", "")
        self.created = False
        if not self.url:
            self.url = f"sqlite:///{workdir / 'outbox.sqlite3'}"
            self.label = "SQLite (a temporary file)"
            return
        base, self.name = self.url.rsplit("/", 1)
        self.maintenance = base + "/postgres"
        self.label = f"PostgreSQL, database {self.name} (created and dropped by this run)"
        protected = {
            os.environ.get(var, "").rsplit("/", 1)[-1]
            for var in ("DATABASE_URL", "TEST_DATABASE_URL")
        }
        if not self.name or self.name.startswith("test_") or self.name in protected:
            sys.exit(f"BENCH_DATABASE_URL names {self.name!r}: use a database of its own.")

    def create(self):
        if self.url.startswith("sqlite"):
            return
        from psycopg import connect

        with connect(self.maintenance, autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            if found.fetchone():
                sys.exit(
                    f"The database {self.name} exists. This bench drops the database it made, "
                    "so it only runs on a new one: drop it or name another."
                )
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self):
        if not self.created:
            return
        from django.db import connections
        from psycopg import connect

        connections.close_all()
        with connect(self.maintenance, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def environment(args, db: Database, workdir: Path, endpoint: str) -> dict:
    """The settings of the bench and of its workers: the gateway backend against the local
    server, a short lease and retry delay so that a killed worker's rows come back soon."""
    return {
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": db.url,
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DEBUG": "0",
        "LIAISON_DEMO": "0",
        "LIAISON_VAR_DIR": str(workdir),
        "LOG_LEVEL": "WARNING",
        "SITE_URL": SITE_URL,
        "LIAISON_SMS_BACKEND": args.gateway,
        "LIAISON_SMS_SECRET_ID": SECRET_ID,
        "LIAISON_SMS_SECRET_KEY": SECRET_KEY,
        "LIAISON_SMS_SIGN_NAME": "联络站",
        "LIAISON_SMS_APP_ID": "1400000001",
        "LIAISON_SMS_REGION": "ap-guangzhou",
        "LIAISON_SMS_ENDPOINT": endpoint,
        "LIAISON_SMS_TIMEOUT_SECONDS": "1",
        "EMAIL_TIMEOUT": "1",
        "NOTIFICATIONS_LEASE_SECONDS": str(args.lease),
        "NOTIFICATIONS_RETRY_SECONDS": str(args.retry),
        # Enough tries that 20 % failures plus the tries the kills cost never give a row up.
        "NOTIFICATIONS_MAX_ATTEMPTS": "20",
    }


class Workers:
    def __init__(self, env: dict, workdir: Path):
        self.env = {**os.environ, **env}
        self.workdir = workdir
        self.started = 0
        self.procs: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        self.started += 1
        log = (self.workdir / f"worker-{self.started}.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "liaison.cli", "worker", "--interval", "0.1"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        self.procs.remove(proc)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs = []

    def logs_tail(self, lines=20) -> str:
        out = []
        for path in sorted(self.workdir.glob("worker-*.log")):
            out.append(f"--- {path.name}")
            out.extend(path.read_text(errors="replace").splitlines()[-lines:])
        return "\n".join(out)


def fill_outbox(n: int) -> None:
    """N `case_received` notices to N citizens, as `enqueue_sms` writes them (kind, parameters,
    rendered text), in one bulk insert: the bench measures delivery, not the writing."""
    from django.utils import translation

    from liaison.notifications import sms
    from liaison.notifications.models import Channel, Notification

    Notification.objects.all().delete()
    rows = []
    with translation.override("zh-hans"):
        for i in range(n):
            params = sms.prepare(
                "case_received", {"number": f"LS-2026-{i:06d}", "url": f"{SITE_URL}/t/b{i}"}
            )
            rows.append(
                Notification(
                    channel=Channel.SMS,
                    recipient=f"139{i:08d}",
                    body=sms.render("case_received", params),
                    template="case_received",
                    params=params,
                    dedupe_key=f"bench:{i}",
                )
            )
    Notification.objects.bulk_create(rows, batch_size=1000)


def run(name, args, server, workers: Workers, *, count: int, failing=0.0, kills=0) -> dict:
    from django.db.models import Max, Min

    from liaison.notifications.models import Notification, Status

    fill_outbox(args.notices)
    server.requests.clear()
    server.fail_randomly(failing, seed=args.seed)
    outbox = Notification.objects.all()
    # Kill when a third and two thirds are sent (for two kills), alternating the victim.
    kill_at = [args.notices * (k + 1) // (kills + 1) for k in range(kills)]
    kill_log = []
    began = time.monotonic()
    for _ in range(count):
        workers.start()
    try:
        while True:
            sent = outbox.filter(status=Status.SENT).count()
            if sent >= args.notices:
                break
            if outbox.filter(status__in=[Status.FAILED, Status.DEAD]).exists():
                raise RuntimeError("a notice was given up (failed or dead)")
            if any(proc.poll() is not None for proc in workers.procs):
                raise RuntimeError("a worker stopped by itself")
            if time.monotonic() - began > args.timeout:
                raise RuntimeError(f"not done after {args.timeout:.0f} s: {sent} sent")
            if kill_at and sent >= kill_at[0]:
                kill_at.pop(0)
                victim = workers.procs[0]  # the oldest: each kill hits another process
                workers.kill(victim)
                # Rows left `sending` (the victim's batch, and the other worker's current one).
                stranded = outbox.filter(status=Status.SENDING).count()
                kill_log.append((sent, stranded))
                workers.start()
            time.sleep(0.05)
        wall = time.monotonic() - began
    finally:
        workers.stop()

    span = outbox.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    seconds = (span["last"] - span["first"]).total_seconds()
    ids = {str(pk) for pk in outbox.values_list("pk", flat=True)}
    accepted = server.ids("ok")
    not_sent = outbox.exclude(status=Status.SENT).count()
    lost = not_sent + len(ids - set(accepted))
    return {
        "name": name,
        "workers": count,
        "wall": wall,
        "rate": (args.notices - 1) / seconds if seconds else float("inf"),
        "requests": len(server.requests),
        "failed_calls": sum(server.ids("error").values()),
        "lost": lost,
        "duplicates": sorted((int(i), n) for i, n in accepted.items() if n > 1),
        "strangers": sorted(set(accepted) - ids),  # accepted ids that are no row: a bug
        "kills": kill_log,
        "problems": list(server.problems),
    }


def report(args, db: Database, results: list[dict]) -> str:
    lines = [
        f"{args.notices:,} SMS notices per run through `liaison worker` (separate processes) to "
        f"the local {args.gateway} gateway; {db.label}",
        f"lease {args.lease} s, first retry {args.retry} s, batch 50, poll 0.1 s",
        "",
        f"{'run':34} {'workers':>7} {'wall s':>7} {'notices/s':>9} {'requests':>8} "
        f"{'lost':>5} {'dupl.':>5}",
    ]
    for r in results:
        lines.append(
            f"{r['name']:34} {r['workers']:7} {r['wall']:7.1f} {r['rate']:9.0f} "
            f"{r['requests']:8,} {r['lost']:5} {len(r['duplicates']):5}"
        )
    for r in results:
        if r["failed_calls"]:
            lines.append(f"{r['name']}: {r['failed_calls']:,} calls answered with an error")
        for k, (sent, stranded) in enumerate(r["kills"], 1):
            lines.append(
                f"{r['name']}: kill {k} (SIGKILL) at {sent:,} sent, {stranded} rows left "
                "`sending`, sent again after the lease"
            )
        if r["duplicates"]:
            shown = ", ".join(f"{i} ×{n}" for i, n in r["duplicates"][:10])
            lines.append(f"{r['name']}: accepted more than once: {shown}")
    lines += ["", "command: " + " ".join(["bench/notifications_outbox.py", *sys.argv[1:]])]
    return "\n".join(lines)


def main(argv=None) -> int:
    args = options(argv)
    workdir = Path(tempfile.mkdtemp(prefix="liaison-bench-outbox-"))
    try:
        return bench(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)  # the SQLite file and the workers' logs


def bench(args, workdir: Path) -> int:
    db = Database(workdir)
    with SERVERS[args.gateway]() as server:
        env = environment(args, db, workdir, server.url)
        os.environ.update(env)
        db.create()
        import django

        django.setup()
        from django.core.management import call_command

        from liaison.notifications.sms import TEMPLATES

        # The worker refuses to start unless every kind has its template ID at the gateway.
        env.update({f"LIAISON_SMS_TEMPLATE_{kind.upper()}": "2345678" for kind in TEMPLATES})
        workers = Workers(env, workdir)
        try:
            call_command("migrate", verbosity=0)
            results = [
                run("clean gateway", args, server, workers, count=1),
                run("clean gateway", args, server, workers, count=2),
                run(
                    f"{args.failing:.0%} failing, {args.kills} × SIGKILL",
                    args,
                    server,
                    workers,
                    count=2,
                    failing=args.failing,
                    kills=args.kills,
                ),
            ]
        except RuntimeError as error:
            print(f"bench failed: {error}\n{workers.logs_tail()}", file=sys.stderr)
            return 2
        finally:
            workers.stop()
            db.drop()
    print(report(args, db, results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    broken = [r for r in results if r["lost"] or r["strangers"] or r["problems"]]
    for r in broken:
        print(
            f"FAILED {r['name']}: {r['lost']} lost, unknown ids {r['strangers'][:5]}, "
            f"gateway problems {r['problems'][:3]}",
            file=sys.stderr,
        )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
