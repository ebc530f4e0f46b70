"""The permission table's rows for deputies' performance records (liaison/core/permissions.py)."""

from django.db.models import Q

from liaison.accounts.rules import Role, deputies_below, is_deputy
from liaison.core.permissions import register

from .models import RecordEntry

# 履职档案: staff who look after the deputy (the same reach as the deputy rows) see and confirm
# the entries; a deputy sees their own but confirms nothing.
_looked_after = {
    Role.COMMITTEE_STAFF: lambda user: Q(deputy_id__in=deputies_below(user.region)),
    Role.STATION_STAFF: lambda user: Q(deputy__stations__pk=user.station_id),
}
register("recordentry.view", RecordEntry, {**_looked_after, Role.DEPUTY: is_deputy("deputy_id")})
register(
    "recordentry.change",
    RecordEntry,
    _looked_after,
    doc="Confirm or reject an entry (审核): staff who look after the deputy, not the deputy.",
)
