from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.core.permissions import TABLE, may, restrict, roles_for

from . import services


class ScopedAdminMixin:
    """Admin pages show and change only what `restrict` allows; nothing is deleted, only
    deactivated, and every save goes through the directory services (so it is audited)."""

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user, "view")

    def _allowed(self, request, action, obj=None):
        user = request.user
        if not user.is_active or not user.is_staff:
            return False
        if user.is_administrator:
            return True
        if obj is not None:
            return may(user, action, obj)
        return restrict(self.model._default_manager.all(), user, action).exists()

    def has_module_permission(self, request):
        return self._allowed(request, "view")

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "view", obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "change", obj)

    def has_add_permission(self, request):
        user = request.user
        # The table's "<model>.add" row names who may create rows besides administrators.
        action = f"{self.model._meta.model_name}.add"
        return user.is_active and (
            user.is_administrator or (action in TABLE and user.role in roles_for(action))
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        user = request.user
        if not (user.is_administrator or user.role in roles_for("station.add")):
            # Where a row sits and its official number are decided by whoever creates stations.
            fields += [f for f in ("code", "region") if f not in fields]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region" and not request.user.is_administrator:
            kwargs["queryset"] = restrict(db_field.related_model.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_entry(obj, actor=request.user, changed_fields=form.changed_data)

    def _set_active(self, request, queryset, active: bool) -> int:
        count = 0
        for obj in restrict(queryset, request.user, "change"):
            services.set_active(obj, active, actor=request.user)
            count += 1
        return count

    @admin.action(description=_("Deactivate selected"))
    def deactivate(self, request, queryset):
        count = self._set_active(request, queryset, False)
        message = ngettext(
            "%(count)d entry deactivated.", "%(count)d entries deactivated.", count
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Activate selected"))
    def activate(self, request, queryset):
        count = self._set_active(request, queryset, True)
        message = ngettext("%(count)d entry activated.", "%(count)d entries activated.", count) % {
            "count": count
        }
        self.message_user(request, message, messages.SUCCESS)
