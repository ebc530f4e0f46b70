"""Exports of the staff lists (导出): rows and columns in, a CSV or an xlsx file out
(docs/exports.md).

An app registers each list it exports in its own `exports.py`, found the first time an export is
asked for (like `jobs.py`):

    @exports.register("cases", filename="cases", permission="case.view")
    def cases(user, params) -> exports.Prepared: ...

`prepare(user, params)` validates the filters from the query string (raising `Refused` with the
form's errors), and answers the rows — a queryset already narrowed by `restrict()` — the columns,
whose values mask personal data as the screen does, and the filters as the audit trail keeps
them. The rows are read with `.iterator(chunk_size=…)` and written one at a time: CSV as a
stream, xlsx through openpyxl's write-only mode, so no export holds its rows in memory.

A list of up to `EXPORT_DIRECT_MAX_ROWS` rows is the HTTP response itself; a longer one becomes an
`ExportJob` that the worker writes into media storage (the "core.exports" drain of core/jobs.py),
downloadable by its owner and administrators until `EXPORT_KEEP_HOURS` have passed. Every export
is in the audit trail: who, which list, which filters, how many rows.
"""

import csv
import io
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from openpyxl import Workbook

from . import audit, dbrouter
from .models import ExportJob

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
CHUNK_SIZE = 2000
PROGRESS_EVERY = 1000  # rows between two progress updates of a job
STALE_AFTER = timedelta(minutes=10)  # a running job without progress for this long is retaken


@dataclass(frozen=True)
class Column:
    header: str  # lazy gettext: the header in the language of whoever asked
    value: Callable[[object], object]


class Rows(Protocol):
    """What an export reads: a queryset, or a row source worked out a batch at a time (the
    三个一 table), or a short list (`Listed`). Counted once to choose the path, read once."""

    def count(self) -> int: ...

    def iterator(self, chunk_size: int) -> Iterator: ...


class Listed:
    """Rows already in memory because they are few (a league table of departments)."""

    def __init__(self, rows: Sequence):
        self.rows = rows

    def count(self) -> int:
        return len(self.rows)

    def iterator(self, chunk_size: int = 0) -> Iterator:
        return iter(self.rows)


def batches(items: Iterable, size: int) -> Iterator[list]:
    """`items` in lists of at most `size` (itertools.batched is Python 3.12)."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Prepared:
    rows: Rows
    columns: Sequence[Column]
    filters: Mapping[str, str] = field(default_factory=dict)


class Refused(Exception):
    """The filters were bad input: `errors` maps each field to its messages."""

    def __init__(self, errors: Mapping[str, Sequence[str]]):
        super().__init__(errors)
        self.errors = errors


def refused(form) -> Refused:
    """A filter form's errors, each under its field's label."""
    return Refused(
        {
            str(form.fields[name].label) if name in form.fields else "": messages
            for name, messages in form.errors.items()
        }
    )


def label(model, field: str) -> Callable[[object], str]:
    """A choice field's label by a table made once, in the language active now (call it while
    preparing). `get_FOO_display()` hashes the lazy labels and translates them again on every
    call: with three such columns, half the time of a million-row case export."""
    labels = {value: str(text) for value, text in model._meta.get_field(field).flatchoices}

    def value(row) -> str:
        found = getattr(row, field)
        return labels.get(found, found)

    return value


def described(cleaned_data: Mapping) -> dict[str, str]:
    """Filters as the audit trail keeps them: the values in use, rows by their id."""
    return {
        name: str(getattr(value, "pk", value))
        for name, value in cleaned_data.items()
        if value not in (None, "", False)
    }


@dataclass(frozen=True)
class Export:
    name: str
    filename: str  # the downloaded file's name, before the date and the extension
    permission: str  # the table row that must reach some rows to offer the export at all
    prepare: Callable[[object, QueryDict], Prepared]


_registry: dict[str, Export] = {}
_discovered = False


def register(name: str, *, filename: str, permission: str):
    def decorator(prepare):
        _registry[name] = Export(name, filename, permission, prepare)
        return prepare

    return decorator


def get(name: str) -> Export | None:
    global _discovered
    if not _discovered:
        autodiscover_modules("exports")
        _discovered = True
    return _registry.get(name)


# --- cells -------------------------------------------------------------------------------------

# A cell a spreadsheet would read as a formula (CSV injection): prefixed with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A value as both writers take it: local times without a zone, text that is not a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, (int, float, Decimal, date)):
        return value  # a number stays a number (amounts in 万元 are Decimal), so a sheet sums it
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _values(columns: Sequence[Column], row) -> list:
    return [cell(column.value(row)) for column in columns]


def _text(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_chunks(columns: Sequence[Column], rows: Iterable) -> Iterator[bytes]:
    """UTF-8 with a byte order mark, which Excel needs to read Chinese; a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> bytes:
        writer.writerow(values)
        data = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return data.encode("utf-8")

    yield "\ufeff".encode() + line([str(c.header) for c in columns])
    for row in rows:
        yield line([_text(v) for v in _values(columns, row)])


def write_xlsx(columns: Sequence[Column], rows: Iterable, target, on_row=None) -> int:
    """An xlsx in write-only mode (rows go to disk as they come); answers the rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.freeze_panes = "A2"
    sheet.append([str(c.header) for c in columns])
    written = 0
    for row in rows:
        sheet.append(_values(columns, row))
        written += 1
        if on_row is not None:
            on_row(written)
    workbook.save(target)
    return written


def write_csv(columns: Sequence[Column], rows: Iterable, target, on_row=None) -> int:
    written = -1  # the header is not a row
    for chunk in csv_chunks(columns, rows):
        target.write(chunk)
        written += 1
        if on_row is not None and written:
            on_row(written)
    return written


WRITERS = {"xlsx": write_xlsx, "csv": write_csv}


def iterate(prepared: Prepared) -> Iterator:
    return prepared.rows.iterator(chunk_size=CHUNK_SIZE)


def download_name(export: Export, fmt: str) -> str:
    return f"{export.filename}-{timezone.localdate():%Y%m%d}.{fmt}"


# --- the two paths -----------------------------------------------------------------------------


def record_made(user, export: Export, fmt: str, prepared: Prepared, rows: int, obj=None):
    """Every export in the audit trail: who, which list, which filters, how many rows."""
    audit.record(
        "export.made",
        actor=user,
        obj=obj,
        list=export.name,
        format=fmt,
        filters=dict(prepared.filters),
        rows=rows,
    )


def is_large(count: int) -> bool:
    return count > settings.EXPORT_DIRECT_MAX_ROWS


@transaction.atomic
def queue_export(user, export: Export, fmt: str, params: Mapping, prepared: Prepared, total: int):
    """A job for the worker; the request is in the audit trail at once."""
    job = ExportJob.objects.create(
        owner=user,
        kind=export.name,
        format=fmt,
        params=dict(params),
        language=translation.get_language() or "",
        state=ExportJob.State.QUEUED,
        total=total,
    )
    audit.record(
        "export.requested",
        actor=user,
        obj=job,
        list=export.name,
        format=fmt,
        filters=dict(prepared.filters),
        rows=total,
    )
    return job


def claim_next() -> ExportJob | None:
    """The oldest waiting job, or one whose worker stopped sending progress; SKIP LOCKED so that
    two workers never take the same one."""
    now = timezone.now()
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(skip_locked=True)
            .filter(
                Q(state=ExportJob.State.QUEUED)
                | Q(state=ExportJob.State.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
            )
            .order_by("id")
            .first()
        )
        if job is None:
            return None
        job.state, job.heartbeat_at, job.done = ExportJob.State.RUNNING, now, 0
        job.save(update_fields=["state", "heartbeat_at", "done"])
    return job


def _fail(job: ExportJob, message: str) -> None:
    with transaction.atomic():
        job.state, job.error, job.finished_at = ExportJob.State.FAILED, message, timezone.now()
        job.save(update_fields=["state", "error", "finished_at"])
        audit.record("export.failed", actor=job.owner, obj=job, list=job.kind, error=message)


def run(job: ExportJob) -> None:
    """Write one claimed job's file, as its owner would see the list now (scope and masking are
    the owner's, read again at run time)."""
    export = get(job.kind)
    if export is None:
        _fail(job, f"unknown list {job.kind!r}")
        return
    params = QueryDict(mutable=True)
    params.update(job.params)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            prepared = export.prepare(job.owner, params)
        except Refused as bad:
            errors = bad.errors.items()
            _fail(job, "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors))
            return

        def progress(written: int) -> None:
            if written % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job.pk).update(
                    done=written, heartbeat_at=timezone.now()
                )

        with tempfile.TemporaryFile() as target:
            # The rows from a replica if there is one (docs/scaling.md); progress to the primary.
            with dbrouter.reads_from_replica():
                rows = WRITERS[job.format](prepared.columns, iterate(prepared), target, progress)
            target.seek(0)
            name = f"{secrets.token_hex(16)}.{job.format}"
            job.file.save(name, File(target), save=False)
    now = timezone.now()
    with transaction.atomic():
        job.state, job.done, job.total = ExportJob.State.DONE, rows, rows
        job.finished_at = now
        job.expires_at = now + timedelta(hours=settings.EXPORT_KEEP_HOURS)
        job.save(update_fields=["state", "done", "total", "file", "finished_at", "expires_at"])
        record_made(job.owner, export, job.format, prepared, rows, obj=job)


def run_waiting(limit: int, should_stop) -> int:
    """The worker's drain: at most `limit` jobs, one at a time."""
    ran = 0
    while ran < limit and not should_stop():
        job = claim_next()
        if job is None:
            break
        try:
            run(job)
        except Exception as error:  # a failing export must not stop the worker
            _fail(job, f"{type(error).__name__}: {error}")
        ran += 1
    return ran


def expire() -> int:
    """Remove the files past their time; the rows stay as the record of what was exported."""
    expired = 0
    for job in ExportJob.objects.filter(
        state=ExportJob.State.DONE, expires_at__lte=timezone.now()
    ).iterator():
        if job.file:
            job.file.delete(save=False)
        with transaction.atomic():
            job.state, job.file = ExportJob.State.EXPIRED, ""
            job.save(update_fields=["state", "file"])
            audit.record("export.expired", obj=job, list=job.kind)
        expired += 1
    return expired
