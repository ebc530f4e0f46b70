from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "liaison.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        checks.register(check_backend)
        checks.register(check_receipts)
        from . import partitions

        partitions.register()


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


def check_receipts(app_configs, **kwargs):
    """The delivery-receipt endpoints: a token short enough to guess, or an allow-list entry that
    is not an address, stops the start (docs/design.md, rule 7)."""
    import ipaddress

    from django.conf import settings

    errors = []
    token = settings.SMS_CALLBACK_TOKEN
    if token and (len(token) < 24 or not token.isascii() or "/" in token):
        errors.append(
            checks.Error(
                "LIAISON_SMS_CALLBACK_TOKEN must be a random secret of at least 24 characters "
                "without '/' (e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))').",
                id="notifications.E003",
            )
        )
    for entry in settings.SMS_CALLBACK_IPS:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                checks.Error(
                    f"LIAISON_SMS_CALLBACK_IPS: {entry!r} is not an address or network.",
                    id="notifications.E004",
                )
            )
    return errors
