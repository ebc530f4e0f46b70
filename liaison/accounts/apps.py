from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "liaison.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import User

        # An account saved anywhere (a service, the admin, a login, a test): every process reads
        # the accounts it remembers again (selectors.ACCOUNTS).
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=User, dispatch_uid="accounts-memo")


def _changed(**kwargs):
    from .selectors import ACCOUNTS

    ACCOUNTS.changed()
