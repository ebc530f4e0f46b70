"""`liaison import_directory <kind> <file> [--dry-run] [--photos DIR]`: roster import.

The same engine as the admin's import page (liaison.directory.importing): every row is checked,
and the file is imported entirely or, if any row has a problem, not at all. Problems go to stderr
as "row N, column: message" and the command exits non-zero.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from liaison.directory import importing


class Command(BaseCommand):
    help = (
        "Import regions, stations, deputies or departments from an .xlsx or .csv roster "
        "(or a .zip holding the roster and the deputies' photos)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(importing.KINDS))
        parser.add_argument("file", type=Path, help=".xlsx, .csv or .zip")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report; write nothing"
        )
        parser.add_argument(
            "--photos", type=Path, metavar="DIR", help="folder holding the photos the roster names"
        )

    def handle(self, *args, kind, file, dry_run, photos, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        if photos is not None and not photos.is_dir():
            raise CommandError(_("No such folder: %(path)s") % {"path": photos})
        if photos is not None and file.suffix.lower() == ".zip":
            raise CommandError(_("--photos is for a plain roster: a .zip carries its own photos."))
        report = importing.import_roster(
            kind, file.read_bytes(), filename=file.name, dry_run=dry_run, photos_dir=photos
        )
        for problem in report.problems:
            where = ", ".join(
                part
                for part in (
                    _("row %(row)s") % {"row": problem.row} if problem.row else "",
                    problem.column,
                )
                if part
            )
            self.stderr.write(f"{where}: {problem.message}" if where else problem.message)
        if not report.ok:
            raise CommandError(
                ngettext(
                    "%(count)s problem: nothing was imported.",
                    "%(count)s problems: nothing was imported.",
                    len(report.problems),
                )
                % {"count": len(report.problems)}
            )
        counts = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
        if dry_run:
            message = _(
                "Dry run, nothing written: would create %(created)s, update %(updated)s; "
                "%(unchanged)s unchanged."
            )
        else:
            message = _(
                "Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
            )
        self.stdout.write(self.style.SUCCESS(message % counts))
