"""The outbox benchmark's harness works (bench/notifications_outbox.py), small: 300 notices
through real worker processes to the local gateway, which fails a fifth of the calls, one worker
killed with SIGKILL and restarted — nothing lost, every row sent and accepted by the gateway."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench(*args, **env):
    # Its own SQLite file: never the test database, never the PostgreSQL of another run.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "BENCH_DATABASE_URL", "DEBUG", "LIAISON_DEMO"}
    }
    return subprocess.run(
        [sys.executable, "-W", "ignore", "bench/notifications_outbox.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_300_notices_with_failures_and_a_kill_lose_nothing(tmp_path):
    out = tmp_path / "results.json"
    result = _bench("--notices", "300", "--kills", "1", "--gateway", "aliyun", "--json", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    clean_1, clean_2, rough = json.loads(out.read_text())
    assert [r["workers"] for r in (clean_1, clean_2, rough)] == [1, 2, 2]
    for run in (clean_1, clean_2, rough):
        assert (run["lost"], run["strangers"], run["problems"]) == (0, [], []), run
    assert clean_1["requests"] == clean_2["requests"] == 300  # no failures, no repeats
    assert len(rough["kills"]) == 1
    assert rough["failed_calls"] > 0
    # Each notice accepted once, plus the failed calls, plus the repeats of at-least-once.
    repeats = sum(n - 1 for _, n in rough["duplicates"])
    assert rough["requests"] == 300 + rough["failed_calls"] + repeats
    assert "20% failing, 1 × SIGKILL" in result.stdout  # the report


def test_a_test_database_is_refused_before_anything_is_written():
    # The bench drops the database it made: it never takes a test database (nor one that exists).
    result = _bench("--notices", "1", BENCH_DATABASE_URL="postgres://u@127.0.0.1:9/test_liaison")
    assert result.returncode != 0
    assert "use a database of its own" in result.stderr
