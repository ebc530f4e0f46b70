"""工作台 — what the outbox adds to the staff workspace: the messages that could not be sent, for
whoever may manage them (administrators)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.accounts.workspace import WorkItem, flag
from liaison.core import registry
from liaison.core.permissions import may_at_all

from .selectors import undelivered_for


@registry.workspace.register
def items(user, today, now) -> list[WorkItem]:
    if not may_at_all(user, "notification.manage"):
        return []
    count = undelivered_for(user).count()  # the (status, available_at) index
    return [
        WorkItem(
            "work-undelivered",
            _("Messages that could not be sent"),
            reverse("outbox:undelivered"),
            count,
            flag(count, "red"),
        )
    ]
