"""Proposing and correcting livelihood projects in the admin, through the services (audited)."""

from django.contrib import admin

from liaison.core import audit
from liaison.core.permissions import may, may_at_all, restrict

from . import services
from .models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "status", "department", "region", "budget"]
    list_filter = ["year", "status"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["department", "region"]
    list_select_related = ["department", "region"]
    fields = ["year", "title", "description", "department", "budget", "region"]
    actions = None

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user, "view")

    def has_module_permission(self, request):
        return request.user.is_staff and may_at_all(request.user, "project.view")

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.is_staff and (
            may(user, "view", obj) if obj else may_at_all(user, "project.view")
        )

    def has_add_permission(self, request):
        return request.user.is_staff and may_at_all(request.user, "project.manage")

    def has_change_permission(self, request, obj=None):
        user = request.user
        if obj is None:
            return user.is_staff and may_at_all(user, "project.manage")
        return user.is_staff and may(user, "project.manage", obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Once the deputies vote, what they voted on stays as it was.
        if obj is not None and obj.status != "proposed":
            return self.fields
        return []

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.propose_project(
                actor=request.user, **{name: form.cleaned_data[name] for name in self.fields}
            )
            obj.pk = created.pk
            return
        obj.save()
        audit.record(
            "project.updated", actor=request.user, obj=obj, fields=sorted(form.changed_data)
        )
