from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    """代表建议 — formal suggestions and the three lists."""

    name = "liaison.suggestions"
    verbose_name = _("Suggestions")
