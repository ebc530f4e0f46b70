"""Administrators configure the activity kinds here; activities themselves are kept through the
staff pages (services, audit), so the admin shows them read-only. Phones are masked (PIPL)."""

from django.contrib import admin

from liaison.core.admin import AdministratorsOnly, ReadOnly

from .models import Activity, ActivityKind, ActivityOpinion, ActivityPhoto, SignUp


@admin.register(ActivityKind)
class ActivityKindAdmin(AdministratorsOnly, admin.ModelAdmin):
    """约您共学 … 向选民述职: add a kind, rename it, or deactivate it (never delete a used one)."""

    list_display = ["name", "name_en", "code", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["name", "name_en", "code"]
    fields = ["code", "name", "name_en", "is_active", "position"]

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        # A kind in use is protected by the database; deactivating is the way to retire it.
        return False

    def get_readonly_fields(self, request, obj=None):
        # The code is what the performance record and the demo data refer to.
        return ["code"] if obj else []


class SignUpInline(AdministratorsOnly, ReadOnly, admin.TabularInline):
    model = SignUp
    fields = ["name", "masked_phone", "created_at", "checked_in_at", "walk_in"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class PhotoInline(AdministratorsOnly, ReadOnly, admin.TabularInline):
    model = ActivityPhoto
    fields = ["image", "uploaded_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class OpinionInline(AdministratorsOnly, ReadOnly, admin.TabularInline):
    model = ActivityOpinion
    fields = ["case", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Activity)
class ActivityAdmin(AdministratorsOnly, ReadOnly, admin.ModelAdmin):
    list_display = ["starts_at", "title", "kind", "station", "status"]
    list_filter = ["status", "kind", "station"]
    list_select_related = ["kind", "station"]
    search_fields = ["title", "place", "public_code"]
    date_hierarchy = "starts_at"
    fields = [
        "station",
        "kind",
        "title",
        "description",
        "starts_at",
        "ends_at",
        "place",
        "capacity",
        "status",
        "deputies",
        "departments",
        "attended_deputies",
        "minutes",
        "outcomes",
        "held_at",
        "public_code",
        "allow_walk_ins",
        "created_by",
        "created_at",
        "updated_at",
    ]
    # The check-in code is left out on purpose: it is printed at the venue only.
    readonly_fields = fields
    inlines = [SignUpInline, PhotoInline, OpinionInline]
