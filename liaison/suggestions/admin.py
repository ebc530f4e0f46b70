"""Read-only admin views: every change of a suggestion goes through services.py."""

from django.contrib import admin

from liaison.core.admin import ReadOnly as ReadOnlyRows

from .models import Suggestion, SuggestionAssignment, SuggestionEvent


class ReadOnly(ReadOnlyRows, admin.ModelAdmin):
    pass


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnly):
    list_display = ["number", "title", "lead_deputy", "status", "year", "is_key"]
    list_filter = ["status", "year", "session_kind", "is_key", "grade"]
    search_fields = ["number", "title", "lead_deputy__name"]


@admin.register(SuggestionAssignment)
class SuggestionAssignmentAdmin(ReadOnly):
    list_display = ["suggestion", "department", "role", "state", "due_at"]
    list_filter = ["role", "state"]


@admin.register(SuggestionEvent)
class SuggestionEventAdmin(ReadOnly):
    list_display = ["suggestion", "verb", "actor_label", "created_at"]
    list_filter = ["verb"]
