from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.core.admin import AdministratorsOnly, ReadOnly

from . import services
from .models import UNDELIVERED, Notification


@admin.register(Notification)
class NotificationAdmin(AdministratorsOnly, ReadOnly, admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "masked_recipient",
        "subject",
        "status",
        "attempts",
        "available_at",
        "sent_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["subject", "dedupe_key"]
    date_hierarchy = "created_at"
    # The full recipient stays out of the admin screens (PIPL); the delivery record has it.
    fields = [
        "channel",
        "masked_recipient",
        "subject",
        "body",
        "status",
        "attempts",
        "available_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "dedupe_key",
        "created_at",
    ]
    readonly_fields = fields
    actions = ["retry_failed"]

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj):
        return obj.masked_recipient

    @admin.action(description=_("Retry the selected failed or refused notifications"))
    def retry_failed(self, request, queryset):
        count = sum(
            services.retry(n, actor=request.user) for n in queryset.filter(status__in=UNDELIVERED)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d notification queued again.",
                "%(count)d notifications queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
