from django.contrib import admin

from .models import AuditEvent, JobRun


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


@admin.register(JobRun)
class JobRunAdmin(AdministratorsOnly, ReadOnly, admin.ModelAdmin):
    list_display = ["name", "last_run_at", "last_finished_at", "last_result", "last_error"]
    readonly_fields = [f.name for f in JobRun._meta.fields]
