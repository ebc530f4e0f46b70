"""Administrators look at visits here; they are registered through the staff pages. Phones are
masked (PIPL)."""

from django.contrib import admin

from liaison.core.admin import AdministratorsOnly, ReadOnly

from .models import Visit, VisitMatter


class VisitMatterInline(AdministratorsOnly, ReadOnly, admin.TabularInline):
    model = VisitMatter
    fields = ["position", "case", "proposed_handling"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Visit)
class VisitAdmin(AdministratorsOnly, ReadOnly, admin.ModelAdmin):
    list_display = ["received_on", "station", "visitor_name", "masked_phone", "created_at"]
    list_filter = ["station"]
    list_select_related = ["station"]
    date_hierarchy = "received_on"
    fields = [
        "station",
        "received_on",
        "visitor_name",
        "masked_phone",
        "visitor_address",
        "deputies",
        "notes",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [VisitMatterInline]
