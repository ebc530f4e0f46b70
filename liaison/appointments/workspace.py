"""工作台 — what bookings add to the staff workspace."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.accounts.workspace import WorkItem, flag, url
from liaison.core import registry

from .models import AppointmentStatus
from .selectors import visible_appointments


@registry.workspace.register
def items(user, today, now) -> list[WorkItem]:
    if user.is_administrator or user.role in (Role.STATION_STAFF, Role.COMMITTEE_STAFF):
        return _bookings(user, today)
    return []


def _bookings(user, today) -> list[WorkItem]:
    """线上预约 awaiting the station's confirmation, and today's bookings (one query)."""
    open_ = [AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED]
    counts = visible_appointments(user).aggregate(
        to_confirm=Count("pk", filter=Q(status=AppointmentStatus.BOOKED, date__gte=today)),
        today=Count("pk", filter=Q(status__in=open_, date=today)),
    )
    return [
        WorkItem(
            "work-bookings-to-confirm",
            _("Bookings awaiting confirmation"),
            url("appointments:staff-list", status=AppointmentStatus.BOOKED),
            counts["to_confirm"],
            flag(counts["to_confirm"]),
        ),
        WorkItem(
            "work-bookings-today",
            _("Today's bookings"),
            url("appointments:staff-list", day=today.isoformat()),
            counts["today"],
        ),
    ]
