"""`liaison stats update` counts the new events into the statistics rollup (what the worker does
every few minutes); `liaison stats rebuild` empties it and counts every event again."""

from django.core.management.base import BaseCommand

from liaison.stats import deputies, rollup, work


class Command(BaseCommand):
    help = "Update or rebuild the statistics rollup from the events."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("update", help="Count the events after the high-water mark.")
        actions.add_parser("rebuild", help="Empty the rollup and count every event again.")

    def handle(self, *args, action, **options):
        if action == "rebuild":
            counted = rollup.rebuild() + work.rebuild()
        else:
            counted = rollup.update() + work.update()
        self.stdout.write(f"{counted} events counted")
        self.stdout.write(f"三个一 of {deputies.refresh()} deputies counted")
