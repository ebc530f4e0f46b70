"""`liaison stats update` counts the new events into the statistics rollup (what the worker does
every few minutes); `liaison stats rebuild` empties it and counts every event again;
`liaison stats opendata [--month YYYY-MM]` writes the open data files (docs/open-data.md)."""

import re

from django.core.management.base import BaseCommand, CommandError

from liaison.stats import deputies, opendata, rollup, work


class Command(BaseCommand):
    help = "Update or rebuild the statistics rollup from the events; write open data files."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("update", help="Count the events after the high-water mark.")
        actions.add_parser("rebuild", help="Empty the rollup and count every event again.")
        files = actions.add_parser(
            "opendata", help="Write the open data files of the ended months not written yet."
        )
        files.add_argument("--month", help="Write (or rewrite) this month's files: YYYY-MM.")

    def handle(self, *args, action, **options):
        if action == "opendata":
            self._open_data(options.get("month"))
            return
        if action == "rebuild":
            counted = rollup.rebuild() + work.rebuild()
        else:
            counted = rollup.update() + work.update()
        self.stdout.write(f"{counted} events counted")
        self.stdout.write(f"三个一 of {deputies.refresh()} deputies counted")

    def _open_data(self, month):
        if month is None:
            written = opendata.write_due()
            self.stdout.write(f"open data written for {', '.join(written) or 'no month'}")
            return
        match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", month)
        if not match or not 1 <= int(match[2]) <= 12:
            raise CommandError(f"--month {month!r}: give a month as YYYY-MM.")
        regions = opendata.write_month(int(match[1]), int(match[2]))
        self.stdout.write(f"open data written for {month}: {regions} regions")
