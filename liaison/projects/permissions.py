"""The permission table's rows for livelihood projects (liaison/core/permissions.py; docs/design.md,
rule 4; docs/projects.md). A project belongs to a region (a county, a street): the committee of
that region or above manages it, the deputies of that region or below vote on it and claim it, the
responsible department reports its progress."""

from django.db.models import Q

from liaison.accounts.rules import Role, of_department, region_covers
from liaison.core.permissions import register

from .models import Project

COMMITTEE, STATION, DEPUTY, DEPARTMENT = (
    Role.COMMITTEE_STAFF,
    Role.STATION_STAFF,
    Role.DEPUTY,
    Role.DEPARTMENT_HANDLER,
)


def _region_codes(path: str) -> list[str]:
    return [code for code in path.strip("/").split("/") if code]


def for_deputy(user) -> Q:
    """The projects of the deputy's region and of every region above it."""
    return Q(region__code__in=_region_codes(user.deputy.region.path))


def for_station(user) -> Q:
    return Q(region__code__in=_region_codes(user.station.region.path))


register(
    "project.view",
    Project,
    {
        COMMITTEE: region_covers("region__path"),
        STATION: for_station,
        DEPUTY: for_deputy,
        DEPARTMENT: of_department("department_id"),
    },
    doc="See a livelihood project's staff page (民生实事项目).",
)
register(
    "project.manage",
    Project,
    {COMMITTEE: region_covers("region__path")},
    doc="Propose a livelihood project, open and close its vote, accept it when done, link the "
    "cases and suggestions that fed it.",
)
register(
    "project.vote",
    Project,
    {DEPUTY: for_deputy},
    doc="Vote on a livelihood project (票决): the deputies of its region and below, once each.",
    # A vote is the deputy's own: nobody casts it for them.
    administrators=False,
)
register(
    "project.claim",
    Project,
    {DEPUTY: for_deputy},
    doc="Claim an adopted livelihood project (认领) and follow its progress.",
    administrators=False,
)
register(
    "project.report",
    Project,
    {COMMITTEE: region_covers("region__path"), DEPARTMENT: of_department("department_id")},
    doc="Publish a livelihood project's quarterly progress with photos: the committee or the "
    "responsible department.",
)
