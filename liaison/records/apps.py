from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """履职档案 — deputies' performance records and "三个一"."""

    name = "liaison.records"
    verbose_name = _("Performance records")
