from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    """预算联网监督 — a region's budget, its monthly execution, deputies' questions on it."""

    name = "liaison.budget"
    verbose_name = _("Budget supervision")
