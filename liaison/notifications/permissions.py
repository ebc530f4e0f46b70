"""The permission table's rows for the outbox (liaison/core/permissions.py)."""

from liaison.core.permissions import register

from .models import Notification

# No role is named: administrators only. Staff of a station see their own work, not the outbox.
register(
    "notification.manage",
    Notification,
    {},
    doc="See the messages that could not be sent (发送失败的消息), recipients masked, queue them "
    "again, and read the delivery counts of the last 7 days.",
)
