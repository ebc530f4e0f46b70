"""Administrators look at cases here; nobody changes one in the admin (that is what the
services and the staff pages are for). Phones are masked (PIPL): an administrator does not need
a citizen's number; the "case.see_full_phone" row of the permission table says who does."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from liaison.core.admin import AdministratorsOnly, ReadOnly

from . import selectors, services
from .models import Assignment, Case, CaseEvent, ReferralChannel, RoutingRule


class ReadOnlyInline(AdministratorsOnly, ReadOnly, admin.TabularInline):
    extra = 0
    can_delete = False


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["created_at", "verb", "actor", "actor_label", "from_status", "to_status", "note"]
    readonly_fields = fields


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = [
        "department",
        "role",
        "state",
        "round",
        "contact_shared",
        "name_shared",
        "sign_due_at",
        "report_due_at",
        "created_at",
    ]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(AdministratorsOnly, ReadOnly, admin.ModelAdmin):
    list_display = [
        "tracking_number",
        "title",
        "status",
        "channel",
        "station",
        "masked_phone",
        "created_at",
        "due_at",
    ]
    list_filter = ["status", "channel", "station"]
    search_fields = ["=tracking_number"]
    list_select_related = ["station"]
    date_hierarchy = "created_at"
    fields = [
        "tracking_number",
        "status",
        "channel",
        "station",
        "deputy",
        "category",
        "title",
        "description",
        "location_text",
        "name",
        "masked_phone",
        "confidential",
        "public_consent",
        "privacy_accepted_at",
        "merged_into",
        "referral",
        "rehandled",
        "rating",
        "due_at",
        "due_provisional",
        "paused_at",
        "created_at",
        "closed_at",
    ]
    readonly_fields = fields
    inlines = [AssignmentInline, CaseEventInline]

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj):
        return obj.masked_phone

    @admin.display(description=_("name"))
    def name(self, obj):
        # The staff page's rule (selectors.may_see_name), for the account looking (get_object).
        return selectors.citizen_name(obj, obj.viewer)

    def get_object(self, request, object_id, from_field=None):
        case = super().get_object(request, object_id, from_field)
        if case is not None:
            case.viewer = request.user  # on the object, not on this shared admin instance
        return case


@admin.register(ReferralChannel)
class ReferralChannelAdmin(AdministratorsOnly, admin.ModelAdmin):
    """The configurable table of proper channels and the guidance each sends the citizen."""

    list_display = ["name", "code", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # cases point to it; deactivate instead

    def save_model(self, request, obj, form, change):
        services.save_referral_channel(obj, actor=request.user, changed_fields=form.changed_data)


@admin.register(RoutingRule)
class RoutingRuleAdmin(AdministratorsOnly, admin.ModelAdmin):
    """分办规则: which department the assignment form suggests for a category in a region."""

    list_display = ["category", "region", "department", "role", "priority", "is_active"]
    list_filter = ["is_active", "role", "category"]
    search_fields = ["department__name", "region__name", "category__name"]
    list_select_related = ["category", "region", "department"]
    autocomplete_fields = ["region", "department"]

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the audit trail keeps what the rules were

    def save_model(self, request, obj, form, change):
        services.save_routing_rule(obj, actor=request.user, changed_fields=form.changed_data)
