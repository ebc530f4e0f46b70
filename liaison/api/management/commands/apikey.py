"""`liaison apikey create NAME [--user U] [--scope S …]`, `revoke PREFIX`, `list`."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from liaison.api.keys import create_key, revoke_key
from liaison.api.models import ApiKey, Scope


class Command(BaseCommand):
    help = "Create, revoke and list API keys. A new key is printed once and never again."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a key and print it once.")
        create.add_argument("name")
        create.add_argument("--user", help="Username: a personal token acting as this user.")
        create.add_argument(
            "--scope",
            action="append",
            default=[],
            choices=Scope.values,
            help="Repeat for several scopes.",
        )
        revoke = sub.add_parser("revoke", help="Revoke the key with this prefix.")
        revoke.add_argument("prefix")
        sub.add_parser("list", help="List keys (prefixes only).")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_create(self, *, name, user=None, scope=(), **options):
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"No account with username {user!r}.")
        try:
            key, raw = create_key(name=name, user=account, scopes=list(scope))
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(raw)
        self.stderr.write(f"Key {key.prefix}… created. Store it now: it is not shown again.")

    def handle_revoke(self, *, prefix, **options):
        keys = list(ApiKey.objects.filter(prefix=prefix, revoked_at__isnull=True))
        if len(keys) != 1:
            raise CommandError(
                f"No active key with prefix {prefix!r}."
                if not keys
                else f"Several active keys have prefix {prefix!r}; revoke them in the web UI."
            )
        revoke_key(keys[0], actor=None)
        self.stdout.write(f"Key {prefix}… revoked.")

    def handle_list(self, **options):
        for key in ApiKey.objects.select_related("user"):
            self.stdout.write(
                "\t".join(
                    [
                        key.prefix,
                        key.name,
                        key.user.username if key.user else "(application)",
                        ",".join(key.scopes) or "-",
                        "revoked" if key.revoked_at else "active",
                        key.last_used_at.isoformat() if key.last_used_at else "never used",
                    ]
                )
            )
