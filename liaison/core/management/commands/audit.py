"""`liaison audit verify` checks the event hash chains; `liaison audit heads` prints a day's chain
heads for an outside party to hold (core/chain.py, docs/deployment.md)."""

from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext

from liaison.core import chain, registry


class Command(BaseCommand):
    help = "Verify the event hash chains, or print a day's chain heads."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="Check the chains; exit code 1 on a break.")
        which = verify.add_mutually_exclusive_group(required=True)
        which.add_argument("--case", metavar="NUMBER", help="one case, by tracking number")
        which.add_argument("--region", metavar="CODE", help="the cases and suggestions of a region")
        which.add_argument("--all", action="store_true", help="every event table")
        heads = actions.add_parser("heads", help="Print (or write) the chain heads of one day.")
        heads.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD, default yesterday")
        heads.add_argument("--output", type=Path, help="write to this file instead of stdout")

    def handle(self, *args, action, **options):
        if action == "heads":
            return self.heads(options["date"], options["output"])
        return self.verify(options)

    def heads(self, day: date | None, output: Path | None) -> None:
        text = chain.heads_text(day or timezone.localdate() - timedelta(days=1))
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")

    def verify(self, options) -> None:
        if options["all"]:
            targets = dict.fromkeys(chain.chained_models())
        else:
            option = "case" if options["case"] else "region"
            targets = {}
            try:
                for scope in registry.audit_scope.functions():
                    targets.update(scope(option, options[option]))
            except LookupError as error:
                raise CommandError(str(error.args[0]), returncode=2) from error
        breaks = [found for model, rows in targets.items() for found in chain.verify(model, rows)]
        for found in breaks:
            self.stdout.write(
                gettext(
                    "BROKEN %(model)s aggregate %(aggregate)s event %(event)s: %(problem)s "
                    "(expected %(expected)s, found %(found)s)"
                )
                % {
                    "model": found.model,
                    "aggregate": found.aggregate,
                    "event": found.event_id,
                    "problem": found.problem,
                    "expected": found.expected or "-",
                    "found": found.found or "-",
                }
            )
        if breaks:
            raise CommandError(
                gettext("%(count)d broken chain(s).") % {"count": len(breaks)}, returncode=1
            )
        names = ", ".join(model._meta.label_lower for model in targets)
        self.stdout.write(gettext("Every chain is intact: %(models)s.") % {"models": names})
