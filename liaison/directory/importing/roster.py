"""The entry point, `import_roster`: read the file, check every row, and hand the rows to the
directory services to write (liaison.directory.services.import_entries)."""

import tempfile
from pathlib import Path

from django.db import IntegrityError
from django.utils.translation import gettext as _

from .. import services
from .columns import KINDS
from .files import check_upload, read_csv, read_xlsx
from .photos import FolderPhotos, open_bundle
from .report import ImportFileError, Report
from .validation import Rows, Validator


def import_roster(
    kind: str,
    data: bytes,
    *,
    filename: str,
    actor=None,
    dry_run: bool = True,
    photos_dir: Path | None = None,
) -> Report:
    """Validate a roster and, unless `dry_run`, import it — entirely or, on any problem, not at all.

    `data` is an .xlsx, .csv or .zip (roster plus photos); `photos_dir` is where the photos are
    for a plain roster on the command line.
    """
    spec = KINDS[kind]
    report = Report(kind, filename, dry_run)
    try:
        fmt = check_upload(data, filename)
        photos = FolderPhotos(photos_dir) if photos_dir else None
        if fmt == "zip":
            fmt, data, photos = open_bundle(data)
        table = read_xlsx(kind, data) if fmt == "xlsx" else read_csv(kind, data)
    except ImportFileError as e:
        report.file_problem(e.message)
        return report
    if not table.headers:
        report.file_problem(_("The file has no header row."))
        return report
    rows = Rows(spec, table, report)
    if not rows.map_header():
        return report
    if not table.rows:
        report.file_problem(_("The file has a header but no rows to import."))
        return report
    report.rows = len(table.rows)
    with tempfile.TemporaryDirectory(prefix="liaison-import-") as temp:
        entries = Validator(rows, photos, None if dry_run else Path(temp)).run()
        if report.problems:
            return report
        report.created, report.updated, report.unchanged = services.count_changes(entries)
        if dry_run:
            return report
        try:
            services.import_entries(spec.model, entries, actor=actor, filename=filename)
        except IntegrityError:
            # Someone changed the directory between our checks and our writes.
            report.file_problem(
                _("The directory changed while importing; nothing was imported. Please try again.")
            )
    return report
