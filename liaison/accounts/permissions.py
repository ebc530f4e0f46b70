"""The permission table's rows for the directory (regions, stations, deputies, departments,
categories): who sees and who edits them. See liaison/core/permissions.py."""

from axes.models import AccessAttempt
from django.db.models import Q

from liaison.core.models import ExportJob
from liaison.core.permissions import register
from liaison.directory.models import Category, Department, Deputy, GridCell, Region, Station

from .models import User
from .rules import Role, always, at_station, deputies_below, is_deputy, region_covers, speaks_for

COMMITTEE, STATION, DEPUTY, DEPARTMENT = (
    Role.COMMITTEE_STAFF,
    Role.STATION_STAFF,
    Role.DEPUTY,
    Role.DEPARTMENT_HANDLER,
)

register("region.view", Region, {COMMITTEE: region_covers("path")})

register(
    "station.view",
    Station,
    {
        COMMITTEE: region_covers("region__path"),
        STATION: at_station("pk"),
        DEPUTY: lambda user: Q(deputies__pk=user.deputy_id),
    },
)
register(
    "station.change",
    Station,
    {COMMITTEE: region_covers("region__path"), STATION: at_station("pk")},
)
# Adding a station or a deputy, and deciding where a row sits and its official number.
register("station.add", Station, {COMMITTEE: region_covers("region__path")})

_deputies = {
    COMMITTEE: lambda user: Q(pk__in=deputies_below(user.region)),
    STATION: lambda user: Q(stations__pk=user.station_id),
    DEPUTY: is_deputy("pk"),
}
register("deputy.view", Deputy, _deputies)
register("deputy.change", Deputy, _deputies)
register("deputy.add", Deputy, {COMMITTEE: _deputies[COMMITTEE]})
register(
    "deputy.speak_for",
    Deputy,
    speaks_for("pk"),
    doc="Write in the deputy's name: their record entries, suggestions and replies.",
)

# Grid cells (网格): kept by the committee of the region and the covering station's staff.
_grid_cells = {
    COMMITTEE: region_covers("region__path"),
    STATION: at_station("station_id"),
}
register("gridcell.view", GridCell, _grid_cells)
register("gridcell.change", GridCell, _grid_cells)
register("gridcell.add", GridCell, {COMMITTEE: region_covers("region__path")})

register(
    "department.view",
    Department,
    {
        COMMITTEE: region_covers("region__path"),
        DEPARTMENT: lambda user: Q(pk=user.department_id),
    },
)
register("department.change", Department, {COMMITTEE: region_covers("region__path")})

# Every staff role files and reads cases by category; only administrators edit the list.
register(
    "category.view",
    Category,
    {COMMITTEE: always, STATION: always, DEPUTY: always, DEPARTMENT: always},
)

# A large export's file (core/exports.py): the account that asked for it, and administrators.
_own_export = {
    role: (lambda user: Q(owner_id=user.pk)) for role in (COMMITTEE, STATION, DEPUTY, DEPARTMENT)
}
register(
    "exportjob.view",
    ExportJob,
    _own_export,
    doc="Follow a large export and download its file: the account that asked for it.",
)

# Only administrators (no role is named): recovery from a lost authenticator and from a lockout.
register(
    "user.reset_two_factor",
    User,
    {},
    doc="Remove another account's two-factor authenticator so that it can enrol again.",
)
register(
    "accessattempt.unlock", AccessAttempt, {}, doc="Lift a login lockout before its cool-off ends."
)
