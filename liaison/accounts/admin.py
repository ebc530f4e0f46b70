from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from liaison.core import audit

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are managed by administrators only."""

    list_display = ["username", "full_name", "role", "scope", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["region", "station", "department", "deputy"]
    list_select_related = ["region", "station", "department", "deputy"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["full_name", "email", "phone", "wechat_openid"]}),
        (_("Role and scope"), {"fields": ["role", "region", "station", "department", "deputy"]}),
        (_("Status"), {"fields": ["is_active", "is_staff", "is_superuser", "last_login"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "password1", "password2", "full_name", "role"],
            },
        ),
        (_("Role and scope"), {"fields": ["region", "station", "department", "deputy"]}),
    ]
    readonly_fields = ["last_login"]

    @admin.display(description=_("scope"))
    def scope(self, obj):
        return obj.scope_label

    def _is_admin(self, request):
        return request.user.is_active and request.user.is_administrator

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return self._is_admin(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Every role works in the admin for now; staff status follows the account being active.
        obj.is_staff = True
        super().save_model(request, obj, form, change)
        audit.record(
            "account.updated" if change else "account.created",
            actor=request.user,
            obj=obj,
            fields=sorted(f for f in form.changed_data if "password" not in f),
        )
