from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.core import audit
from liaison.core.admin import AdministratorsOnly, ReadOnly

from .models import User
from .services import remove_two_factor, unlock_logins

# django-otp's own device admin shows every account's secret as a QR code: recovery is the
# audited action on the accounts list below instead.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are managed by administrators only."""

    list_display = ["username", "full_name", "role", "scope", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["region", "station", "department", "deputy", "grid_cell"]
    list_select_related = ["region", "station", "department", "deputy"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["full_name", "email", "phone", "wechat_openid"]}),
        (
            _("Role and scope"),
            {"fields": ["role", "region", "station", "department", "deputy", "grid_cell"]},
        ),
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
        (
            _("Role and scope"),
            {"fields": ["region", "station", "department", "deputy", "grid_cell"]},
        ),
    ]
    readonly_fields = ["last_login"]
    actions = ["remove_two_factor"]

    @admin.action(description=_("Remove the two-factor authenticator (lost phone)"))
    def remove_two_factor(self, request, queryset):
        removed = sum(remove_two_factor(account, actor=request.user) for account in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d authenticator removed: the account sets up a new one if it must.",
                "%(count)d authenticators removed: the accounts set up new ones if they must.",
                removed,
            )
            % {"count": removed},
            messages.SUCCESS,
        )

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


# The login lockout's records (django-axes, docs/deployment.md): read by administrators; the only
# change is the audited unlock.
@admin.register(AccessAttempt)
class AccessAttemptAdmin(AdministratorsOnly, ReadOnly, admin.ModelAdmin):
    """Failures that count now: an account or address over its limit is locked."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start", "path_info"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["username", "ip_address", "user_agent", "path_info", "failures_since_start"]
    readonly_fields = fields
    actions = ["unlock"]

    @admin.action(description=_("Unlock: forget these failures"))
    def unlock(self, request, queryset):
        count = unlock_logins(queryset, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d lock lifted.", "%(count)d locks lifted.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(AdministratorsOnly, ReadOnly, admin.ModelAdmin):
    list_display = ["attempt_time", "username", "ip_address", "locked_out", "path_info"]
    list_filter = ["locked_out"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    readonly_fields = [f.name for f in AccessFailureLog._meta.fields]


@admin.register(AccessLog)
class AccessLogAdmin(AdministratorsOnly, ReadOnly, admin.ModelAdmin):
    """Successful logins and logouts."""

    list_display = ["attempt_time", "logout_time", "username", "ip_address", "path_info"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    readonly_fields = [f.name for f in AccessLog._meta.fields]
