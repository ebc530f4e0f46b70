"""The permission table's rows for activities (活动, liaison/core/permissions.py).

An activity belongs to its station: whoever looks after the station — its own staff and the
committee whose region covers it — plans, announces, holds and records its activities, the same
people as the "station.change" row. An activity without a station (区级活动) belongs to its
region: the committee whose region covers it plans it; station staff do not. The public sees
announced and held activities without an account (selectors.upcoming_public, month_public);
these rows are about the staff pages.
"""

from django.db.models import Q

from liaison.accounts.rules import Role, at_station, region_covers
from liaison.core.permissions import register
from liaison.directory.models import Region, Station

from .models import Activity

COMMITTEE, STATION = Role.COMMITTEE_STAFF, Role.STATION_STAFF

register(
    "station.add_activity",
    Station,
    {COMMITTEE: region_covers("region__path"), STATION: at_station("pk")},
    doc="Plan a new activity at the station (组织活动): its staff and the committee above it.",
)

register(
    "region.add_activity",
    Region,
    {COMMITTEE: region_covers("path")},
    doc="Plan an activity of the region without a station (区级活动): the committee staff whose "
    "region covers it.",
)


def _station_or_region(user) -> Q:
    """The committee's activities: at a station of its region, or of a region below it."""
    path = user.region.path
    return Q(station__region__path__startswith=path) | Q(region__path__startswith=path)


_of_the_station = {
    COMMITTEE: _station_or_region,
    STATION: at_station("station_id"),
}
register(
    "activity.view",
    Activity,
    _of_the_station,
    doc="See it on the staff pages: sign-ups (phones masked), minutes, photos, the check-in "
    "QR code.",
)
register(
    "activity.change",
    Activity,
    _of_the_station,
    doc="Edit, announce or cancel it; record it as held (attendance, minutes, photos); register "
    "the opinions raised at it as cases.",
)
