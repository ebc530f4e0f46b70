"""The outbox's personal data (docs/privacy.md, liaison/core/privacy.py)."""

from liaison.core import privacy

from .models import Notification

privacy.declare(
    Notification,
    ["recipient", "body"],
    what="Recipient (phone, e-mail or account) and text of each notice",
    purpose="Sending SMS, e-mail and WeChat notices, retrying, reading the delivery receipts.",
    full="Nobody reads the outbox but the worker; the case page shows the texts sent for a case.",
    masked="Administrators (the outbox in the admin) and the undelivered list: the recipient.",
    hidden="Everybody else. The texts never carry a citizen's name or number.",
    kept="NOTIFICATIONS_KEEP_DAYS (90) after delivery; pruned by the worker (on PostgreSQL a "
    "month whose rows are all due is dropped whole, `core.partitions`).",
)
