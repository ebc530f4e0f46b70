from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "liaison.cases"
    verbose_name = _("Cases")

    def ready(self):
        from liaison.workdays import recalculators

        from . import services

        # Loading a year's holiday schedule recomputes the open case deadlines it moves.
        recalculators.register(services.recalculate_deadlines)
        recalculators.register_years_in_use(services.provisional_years)
