from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegislationConfig(AppConfig):
    """基层立法联系点 — drafts of regulations put to the public, their comments and the report."""

    name = "liaison.legislation"
    verbose_name = _("Legislative contact point")
