from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import privacy
from .models import AuditEvent, JobRun, PersonalDataAccess


class AdministratorsOnly:
    """Admin pages that only administrators open (accounts, audit, outbox, cases)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_administrator

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


class ReadOnly:
    """Rows that services write and people only look at (append-only logs, the outbox)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(AdministratorsOnly, ReadOnly, admin.ModelAdmin):
    """The audit trail: nothing updates or deletes an event."""

    list_display = ["created_at", "actor", "verb", "object_type", "object_repr"]
    list_filter = ["verb", "object_type"]
    search_fields = ["object_repr", "object_id", "verb", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(AdministratorsOnly, ReadOnly, admin.ModelAdmin):
    """Who saw which citizen's contact details, original photos or reply letter, when and
    where (docs/privacy.md). Read-only: these are audit events."""

    list_display = ["created_at", "actor", "verb", "surface", "object_repr"]
    list_filter = [("created_at", admin.DateFieldListFilter), "verb"]
    search_fields = ["actor__username", "actor__full_name", "object_repr", "object_id"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def get_queryset(self, request):
        return privacy.access_log().select_related("actor")

    @admin.display(description=_("where"))
    def surface(self, obj):
        value = (obj.data or {}).get("surface", "")
        return privacy.Surface(value).label if value in privacy.Surface.values else value


@admin.register(JobRun)
class JobRunAdmin(AdministratorsOnly, ReadOnly, admin.ModelAdmin):
    list_display = ["name", "last_run_at", "last_finished_at", "last_result", "last_error"]
    readonly_fields = [f.name for f in JobRun._meta.fields]
