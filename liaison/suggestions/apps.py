from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    """代表建议 — formal suggestions and the three lists."""

    name = "liaison.suggestions"
    verbose_name = _("Suggestions")

    def ready(self):
        from liaison.workdays import recalculators

        from . import services

        # Loading a year's holiday schedule moves the due dates of open assignments (like cases).
        recalculators.register(services.recalculate_deadlines)
        recalculators.register_years_in_use(services.years_in_use)
