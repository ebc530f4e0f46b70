from django.contrib import admin

from .models import ActivityKind


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "is_active", "position"]
    list_editable = ["is_active", "position"]
