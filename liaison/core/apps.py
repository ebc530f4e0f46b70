from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "liaison.core"
    verbose_name = _("Core")

    def ready(self):
        # The apps above core declare their rows of the permission table in `permissions.py`.
        from . import permissions

        permissions.autodiscover()
        # …and their personal fields in `privacy.py` (docs/privacy.md).
        from . import privacy

        privacy.autodiscover()
