"""Triage at deployment scale: department suggestions learned from a generated history of 50,000
assignments over the demo departments, with top-1 / top-3 accuracy and timings.

Builds (once) the demo directory and `--assignments` generated cases with their lead departments
(`liaison triage generate`: varied Chinese texts, noise as in a real history: one message in six
went to a department its text does not point at, one in sixteen names no matter), in its own
database: SQLite by default (simplest on one machine; the model never reads the database while
suggesting), or PostgreSQL with BENCH_DATABASE_URL. Then it measures:

- evaluation: train on 80 %, top-1 / top-3 on the held-out 20 %, per category;
- training on the whole history (what the nightly job does) and the stored model's size;
- inference per message over --messages held-out messages (jieba, features, model, neighbours),
  p50 / p95 / max, and the same through the model in use (one query for its id);
- similar cases: one message against 1,000 open candidates, first with nothing cached, then
  with the candidates' vectors in the per-process cache (as on a busy review screen).

    .venv/bin/python -W ignore bench/triage_eval.py [--assignments 50000] [--messages 1000]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_triage_bench \\
        .venv/bin/python -W ignore bench/triage_eval.py

Figures: bench/README.md.
"""

import argparse
import os
import statistics
import time

from benchsetup import ensure_database, start_django

start_django("sqlite:////tmp/liaison_triage_bench.sqlite3")

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from liaison.cases.models import Assignment  # noqa: E402
from liaison.directory.models import Department  # noqa: E402
from liaison.triage import engine, services, similarity  # noqa: E402


def percentiles(samples_ms):
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered), p95, ordered[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--assignments", type=int, default=50_000)
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    ensure_database()
    call_command("migrate", verbosity=0)
    if not Department.objects.exists():
        call_command("load_demo", "--force", verbosity=0)  # its own database
    have = Assignment.objects.filter(role="lead", state="reported").count()
    if have < args.assignments:
        start = time.perf_counter()
        call_command("triage", "generate", "--assignments", str(args.assignments - have))
        print(f"generated {args.assignments - have:,} cases in {time.perf_counter() - start:.0f} s")
    print(f"database: {os.environ['DATABASE_URL'].split('://')[0]}")

    start = time.perf_counter()
    samples = services.history()
    print(f"history: {len(samples):,} assignments read in {time.perf_counter() - start:.1f} s")

    train, test = engine.split(samples)
    start = time.perf_counter()
    model = engine.Engine().fit(train, now=timezone.now())
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    evaluation = engine.evaluate(model, test, services.category_names())
    eval_seconds = time.perf_counter() - start
    print(
        f"\ntrained on {len(train):,} in {fit_seconds:.1f} s; evaluated on {len(test):,} "
        f"held out in {eval_seconds:.1f} s"
    )
    print(f"{'category':<12} {'n':>6} {'top-1':>7} {'top-3':>7}")
    for name, row in evaluation["categories"].items():
        print(f"{name:<12} {row['n']:>6} {row['top1']:>7.1%} {row['top3']:>7.1%}")
    overall = evaluation["overall"]
    print(f"{'overall':<12} {overall['n']:>6} {overall['top1']:>7.1%} {overall['top3']:>7.1%}")

    start = time.perf_counter()
    outcome = services.train_model(force=True)
    print(
        f"\nliaison triage train (evaluate + train on all {outcome.model.samples:,}, store): "
        f"{time.perf_counter() - start:.1f} s, model {len(outcome.model.blob) / 1e6:.1f} MB"
    )

    messages = test[: args.messages]
    timings = []
    for sample in messages:
        begin = time.perf_counter()
        model.suggest(sample.text, sample.category, sample.region_path)
        timings.append((time.perf_counter() - begin) * 1000)
    p50, p95, worst = percentiles(timings)
    print(
        f"\ninference, engine: {len(messages)} messages  p50 {p50:.2f} ms  p95 {p95:.2f} ms  "
        f"max {worst:.2f} ms"
    )
    services.suggest(messages[0].text, messages[0].category, messages[0].region_path)  # load
    timings = []
    for sample in messages:
        begin = time.perf_counter()
        services.suggest(sample.text, sample.category, sample.region_path)
        timings.append((time.perf_counter() - begin) * 1000)
    p50, p95, worst = percentiles(timings)
    print(
        f"inference, model in use (+ id query): p50 {p50:.2f} ms  p95 {p95:.2f} ms  "
        f"max {worst:.2f} ms"
    )

    candidates = [
        similarity.Candidate(i, s.text, s.category, s.region_path)
        for i, s in enumerate(test[:1000])
    ]
    similarity._row.cache_clear()
    probe = similarity.Candidate("probe", test[1000].text, test[1000].category)
    begin = time.perf_counter()
    similarity.similar(probe, candidates)
    cold = (time.perf_counter() - begin) * 1000
    timings = []
    for sample in test[1001:1101]:
        probe = similarity.Candidate("probe", sample.text, sample.category, sample.region_path)
        begin = time.perf_counter()
        similarity.similar(probe, candidates)
        timings.append((time.perf_counter() - begin) * 1000)
    p50, p95, worst = percentiles(timings)
    print(
        f"similar cases, 1 message × 1,000 candidates: first (nothing cached) {cold:.0f} ms; "
        f"then p50 {p50:.1f} ms  p95 {p95:.1f} ms  max {worst:.1f} ms"
    )


if __name__ == "__main__":
    main()
