from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CluesConfig(AppConfig):
    name = "liaison.clues"
    verbose_name = _("Public-interest litigation clues")
