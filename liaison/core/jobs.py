"""Periodic jobs and drains: a tiny registry, and the rule that runs each job at most once per
interval across all workers (docs/design.md, rule 6).

An app registers its jobs in its own `jobs.py`, which the worker imports at start:

    @jobs.register("cases.auto_close", interval=timedelta(hours=1))
    def auto_close() -> str: ...

A job is a plain function without arguments that returns an optional one-line summary for the log.
Jobs must be idempotent: a job whose worker dies halfway runs again at the next interval.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import management
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from . import chain, partitions, privacy
from .models import JobRun

logger = logging.getLogger("liaison.worker")


@dataclass(frozen=True)
class Job:
    name: str
    interval: timedelta
    func: Callable[[], object]


_registry: dict[str, Job] = {}


def register(name: str, *, interval: timedelta) -> Callable[[Callable], Callable]:
    def decorator(func: Callable) -> Callable:
        existing = _registry.get(name)
        if existing is not None and existing.func is not func:
            raise ValueError(f"A periodic job named {name!r} is already registered.")
        _registry[name] = Job(name=name, interval=interval, func=func)
        return func

    return decorator


@dataclass(frozen=True)
class Drain:
    """Work the worker does on every pass until it is done, before the periodic jobs: e.g. the
    notification outbox. `func(limit, should_stop)` handles at most `limit` rows and returns how
    many it handled; `prepare()` runs once when the worker starts and may raise
    ImproperlyConfigured (a misconfigured backend stops the worker at once)."""

    name: str
    func: Callable[[int, Callable[[], bool]], int]
    prepare: Callable[[], object] | None = None


_drains: dict[str, Drain] = {}


def drain(name: str, *, prepare: Callable[[], object] | None = None):
    """Register a drain (the app above core registers itself: docs/design.md, rule 11)."""

    def decorator(func: Callable) -> Callable:
        _drains[name] = Drain(name=name, func=func, prepare=prepare)
        return func

    return decorator


def drains() -> list[Drain]:
    return sorted(_drains.values(), key=lambda d: d.name)


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered() -> list[Job]:
    return sorted(_registry.values(), key=lambda job: job.name)


def autodiscover() -> None:
    """Import every installed app's `jobs` module, which registers its jobs."""
    autodiscover_modules("jobs")


def claim(job: Job) -> bool:
    """Whether this worker may run `job` now: one conditional UPDATE, so when several workers ask
    at once exactly one of them moves `last_run_at` forward and wins. The job counts as run from
    the moment it is claimed (at most once per interval, even if it then fails)."""
    now = timezone.now()
    JobRun.objects.get_or_create(name=job.name)
    return bool(
        JobRun.objects.filter(name=job.name)
        .filter(Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - job.interval))
        .update(last_run_at=now)
    )


def run_due() -> list[str]:
    """Run every registered job that is due and not claimed by another worker. Returns the names
    of the jobs this worker ran."""
    ran = []
    for job in registered():
        if not claim(job):
            continue
        started = time.monotonic()
        try:
            result = job.func()
        except Exception as error:  # one failing job must not stop the others or the worker
            logger.exception("job %s failed", job.name)
            JobRun.objects.filter(name=job.name).update(
                last_finished_at=timezone.now(), last_error=f"{type(error).__name__}: {error}"
            )
        else:
            logger.info(
                "job %s done in %.1fs%s",
                job.name,
                time.monotonic() - started,
                f": {result}" if result not in (None, "") else "",
            )
            JobRun.objects.filter(name=job.name).update(
                last_finished_at=timezone.now(),
                last_result="" if result is None else str(result)[:2000],
                last_error="",
            )
        ran.append(job.name)
    return ran


# The core's own jobs.


@register("core.clearsessions", interval=timedelta(days=1))
def clear_sessions() -> str:
    """Expired login sessions pile up in the database otherwise."""
    management.call_command("clearsessions")
    return "expired sessions removed"


HEADS_CATCH_UP_DAYS = 7


@register("core.audit_heads", interval=timedelta(hours=1))
def write_audit_heads() -> str:
    """The chain heads of each of the last few days, once, to var/audit-heads/<day>.txt for an
    outside party to collect (docs/deployment.md). Hourly, so that a worker down at midnight
    catches up; a file once written is never rewritten: it is what others may already hold."""
    folder = settings.VAR_DIR / "audit-heads"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    today = timezone.localdate()
    for back in range(HEADS_CATCH_UP_DAYS, 0, -1):
        day = today - timedelta(days=back)
        path = folder / f"{day.isoformat()}.txt"
        if path.exists():
            continue
        partial = path.with_suffix(".tmp")
        partial.write_text(chain.heads_text(day), encoding="utf-8")
        partial.replace(path)  # atomic: a reader never sees half a file
        written.append(day.isoformat())
    return f"heads written for {', '.join(written)}" if written else "heads up to date"


@register("core.retention", interval=timedelta(days=1))
def apply_retention() -> str:
    """PIPL: personal data older than LIAISON_RETENTION_DAYS anonymised (docs/privacy.md)."""
    counts = privacy.apply_retention()
    if counts is None:
        return "retention off (LIAISON_RETENTION_DAYS=0)"
    return ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items())) or "nothing due"


@register("core.partitions", interval=timedelta(days=1))
def maintain_partitions() -> str:
    """PostgreSQL: the next months' partitions of the partitioned tables, and the months the
    privacy policy lets go dropped (core/partitions.py, docs/scaling.md)."""
    done = partitions.maintain()
    if not done:
        return "no partitioned tables"
    return "; ".join(
        f"{table}: {len(created)} created, {len(dropped)} dropped"
        for table, (created, dropped) in done.items()
    )


# Large exports (core/exports.py): written on every pass, one job at a time.
@drain("core.exports")
def write_exports(limit: int, should_stop) -> int:
    from . import exports  # openpyxl is for the worker and the export pages only

    return exports.run_waiting(limit, should_stop)


@register("core.exports_expire", interval=timedelta(hours=1))
def expire_exports() -> str:
    from . import exports

    return f"{exports.expire()} expired export files removed"
