"""The permission table's rows for statistics (liaison/core/permissions.py; docs/design.md,
rule 4). Each account reads the rollup rows of its own scope; a committee may pick a region or a
station below its own, nobody may pick one outside it (docs/statistics.md)."""

from django.db.models import Q

from liaison.accounts.rules import Role, at_station, is_deputy, of_department, region_covers
from liaison.core.permissions import register
from liaison.directory.models import Region, Station

from .models import CaseFigure, DeputyYear, StatsReport, WorkFigure

register(
    "casefigure.view",
    CaseFigure,
    {
        Role.COMMITTEE_STAFF: region_covers("region_path"),
        Role.STATION_STAFF: at_station("station_id"),
        Role.DEPUTY: is_deputy("deputy_id"),
        Role.DEPARTMENT_HANDLER: of_department("department_id"),
    },
    doc="Read the statistics of the account's scope (the rollup rows).",
)
register(
    "region.view_stats",
    Region,
    {Role.COMMITTEE_STAFF: region_covers("path")},
    doc="Choose this region on the statistics dashboard.",
)
register(
    "station.view_stats",
    Station,
    {
        Role.COMMITTEE_STAFF: region_covers("region__path"),
        Role.STATION_STAFF: at_station("pk"),
    },
    doc="Choose this station on the statistics dashboard.",
)
register(
    "workfigure.view",
    WorkFigure,
    {
        Role.COMMITTEE_STAFF: region_covers("region_path"),
        Role.STATION_STAFF: at_station("station_id"),
        Role.DEPUTY: is_deputy("deputy_id"),
    },
    doc="Read the stations' and deputies' work figures of the account's scope.",
)
register(
    "deputyyear.view",
    DeputyYear,
    {
        Role.COMMITTEE_STAFF: region_covers("region_path"),
        Role.STATION_STAFF: lambda user: Q(deputy__stations__pk=user.station_id),
        Role.DEPUTY: is_deputy("deputy_id"),
    },
    doc="Read the 三个一 of the deputies of the account's scope (statistics).",
)
register(
    "statsreport.view",
    StatsReport,
    {Role.COMMITTEE_STAFF: region_covers("region__path")},
    doc="Download a PDF statistics report of a region (the committee's region and below).",
)
