"""Signing in (settings.AUTHENTICATION_BACKENDS)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Django's ModelBackend, with the account's region read in the same query: a committee
    account's scope is its region's path (accounts/rules.py), asked on every page it opens."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("region").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
