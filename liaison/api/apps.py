from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "liaison.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from .models import ApiKey

        # A key or an account saved anywhere (a service, the admin, a test): every process
        # reads its keys again (keys._KEYS).
        for model in (ApiKey, get_user_model()):
            for signal in (post_save, post_delete):
                signal.connect(_changed, sender=model, dispatch_uid=f"api-keys-{model.__name__}")


def _changed(**kwargs):
    from .keys import keys_changed

    keys_changed()
