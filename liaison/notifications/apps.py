from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "liaison.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        checks.register(check_backend)


def check_backend(app_configs, **kwargs):
    """A misspelt NOTIFICATIONS_BACKEND stops the server at start, not the first reminder."""
    from .backends import get_backend

    try:
        get_backend()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="notifications.E001")]
    return []
