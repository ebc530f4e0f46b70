"""`liaison load_demo`: the fictional district, one account per role, and each app's demo data.

Every app that has demo data registers its `load()` with `registry.demo` (liaison/core/registry.py);
they run in their order (directory, accounts, cases, suggestions, activities, receptions,
appointments, records), each idempotent by code, so a second run creates nothing and a half-loaded
database is completed. The run as a whole is recorded once as `demo.loaded`.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from liaison.accounts import demo
from liaison.core import audit, registry


class Command(BaseCommand):
    help = "Load the demo district, its stations, deputies and one account per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG and LIAISON_DEMO are off (never on a real site).",
        )

    def handle(self, *args, force=False, **options):
        if not (settings.DEBUG or settings.DEMO_MODE or force):
            raise CommandError(
                "Refusing to load demo data: DEBUG and LIAISON_DEMO are both off, so this looks "
                "like a production site. Demo accounts have a published password. Set "
                "LIAISON_DEMO=1 for a demo site, or pass --force if you are sure."
            )
        created: dict[str, int] = {}
        with transaction.atomic():
            for load in registry.demo.functions():
                created.update(load())
            if any(created.values()):
                audit.record("demo.loaded", **created)
        self.report(created)

    def report(self, created: dict[str, int]) -> None:
        if any(created.values()):
            summary = ", ".join(f"{count} {what}" for what, count in created.items() if count)
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}."))
        else:
            self.stdout.write("Demo data already loaded: nothing new.")
        self.stdout.write(f"\nDemo logins at {settings.SITE_URL}/accounts/login/")
        # Role and scope come last: Chinese text is double width and would break the columns.
        self.stdout.write(f"  {'username':<12}{'password':<14}role · scope")
        for username, role, scope in demo.logins():
            self.stdout.write(f"  {username:<12}{demo.PASSWORD:<14}{role} · {scope}")
