"""The permission table's rows for bookings (线上预约, liaison/core/permissions.py)."""

from liaison.accounts.rules import Role, at_station, region_covers
from liaison.core.permissions import register

from .models import Appointment

COMMITTEE, STATION = Role.COMMITTEE_STAFF, Role.STATION_STAFF

# The same people as the station's visits: its own staff and the committee above it.
_station_and_committee = {
    COMMITTEE: region_covers("station__region__path"),
    STATION: at_station("station_id"),
}
register("appointment.view", Appointment, _station_and_committee)
register(
    "appointment.change",
    Appointment,
    _station_and_committee,
    doc="Confirm, move, cancel, mark as not come or attended.",
)
register(
    "appointment.see_full_phone",
    Appointment,
    {STATION: at_station("station_id")},
    doc="See the citizen's full phone: the booking's station calls back; everyone else sees it "
    "masked (PIPL), administrators included. Each full view is logged.",
    administrators=False,
)
