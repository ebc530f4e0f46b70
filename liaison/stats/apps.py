from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """各级统计 — figures for every level, pre-aggregated from the events."""

    name = "liaison.stats"
    verbose_name = _("Statistics")
