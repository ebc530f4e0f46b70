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
    """A misspelt backend, missing gateway credentials or a template without its gateway ID stop
    the server at start, not at the first message."""
    from django.conf import settings

    from . import sms
    from .backends import backend_name, backends

    try:
        backends()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="notifications.E001")]
    gateway = backend_name("sms") in ("tencentcloud", "aliyun")
    missing = sms.missing_template_ids()
    if gateway and missing and not (settings.DEMO_MODE or settings.DEBUG):
        names = ", ".join(f"LIAISON_SMS_TEMPLATE_{kind.upper()}" for kind in missing)
        return [
            checks.Error(f"SMS templates without a gateway ID: {names}", id="notifications.E002")
        ]
    return []
