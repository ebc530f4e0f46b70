"""`liaison load_holidays YEAR FILE [--replace] [--note TEXT] [--check]`: load a year's State
Council holiday notice from a text file in the admin import's format (one line per holiday, see
docs/workdays.md); `-` reads standard input.

`liaison load_holidays --package [YEAR ...]`: load the years the installed chinese-calendar
package knows and the database does not have yet (idempotent).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from liaison.workdays import services
from liaison.workdays.notice import NoticeError, parse_notice


class Command(BaseCommand):
    help = (
        "Load a year's State Council holiday notice, or the years the chinese-calendar "
        "package knows."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", nargs="?", type=int)
        parser.add_argument("file", nargs="?", help="the notice as text, one line per holiday")
        parser.add_argument("--replace", action="store_true", help="replace a loaded schedule")
        parser.add_argument("--note", default="", help="the notice's document number")
        parser.add_argument("--check", action="store_true", help="check only; save nothing")
        parser.add_argument(
            "--package",
            nargs="*",
            type=int,
            metavar="YEAR",
            help="load from the chinese-calendar package (all its years when none is given)",
        )

    def handle(self, *args, year, file, replace, note, check, package, **options):
        if package is not None:
            if year is not None or file:
                raise CommandError(_("--package takes years only, no file."))
            loaded = services.load_package_years(package or None)
            self.stdout.write(
                _("Loaded from the package: %(years)s.") % {"years": ", ".join(map(str, loaded))}
                if loaded
                else _("Nothing to load: the package's years are loaded already.")
            )
            return
        if year is None or not file:
            raise CommandError(_("Give the year and the notice file (or --package)."))
        if file == "-":
            text = sys.stdin.read()
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": file})
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                raise CommandError(_("The file is not UTF-8 text.")) from None
        try:
            if check:
                holidays = services.check_notice(year, text, replace=replace)
            else:
                services.load_notice(year, text, actor=None, replace=replace, note=note)
                holidays = parse_notice(year, text)
        except NoticeError as e:
            for error in e.errors:
                self.stderr.write(
                    _("line %(line)s: %(message)s") % {"line": error.line, "message": error.message}
                )
            raise CommandError(_("Nothing was saved.")) from None
        except services.YearAlreadyLoaded as e:
            raise CommandError(
                _("The %(year)s schedule is already loaded; add --replace to replace it.")
                % {"year": e.schedule.year}
            ) from None
        for h in holidays:
            self.stdout.write(
                f"{h.name}: {h.days_off[0]:%Y-%m-%d}~{h.days_off[-1]:%Y-%m-%d}"
                + (
                    f"; 调休上班 {', '.join(f'{d:%Y-%m-%d}' for d in h.makeup_days)}"
                    if h.makeup_days
                    else ""
                )
            )
        self.stdout.write(
            (_("Checked %(year)s: nothing saved.") if check else _("Loaded %(year)s."))
            % {"year": year}
        )
