"""Record entries are added and confirmed through the staff pages (services, audit); the admin
shows them read-only to administrators."""

from django.contrib import admin

from liaison.core.admin import AdministratorsOnly, ReadOnly

from .models import RecordEntry, RecordPhoto


class PhotoInline(AdministratorsOnly, ReadOnly, admin.TabularInline):
    model = RecordPhoto
    fields = ["image", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(RecordEntry)
class RecordEntryAdmin(AdministratorsOnly, ReadOnly, admin.ModelAdmin):
    list_display = ["date", "deputy", "kind", "title", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "deputy__name", "deputy__code"]
    date_hierarchy = "date"
    list_select_related = ["deputy"]
    inlines = [PhotoInline]
    readonly_fields = [
        "deputy",
        "kind",
        "date",
        "title",
        "description",
        "status",
        "rejection_reason",
        "created_by",
        "created_at",
        "confirmed_by",
        "confirmed_at",
        "rejected_by",
        "rejected_at",
    ]
