"""Which rollup rows a viewer's figures are made of (docs/statistics.md, "Scope").

Staff start from `restrict()` on the rollup (the "casefigure.view" row of the permission table);
choosing a region or a station is a row of its own, so that editing the URL to another
township's code is refused, not answered with its figures. The public page reads every row:
its figures are aggregated and small counts are hidden (templatetags/stats.py).
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.accounts.rules import Role
from liaison.cases.models import Case
from liaison.core.permissions import require, restrict
from liaison.directory.models import Region, Station
from liaison.suggestions.models import Suggestion

from . import coarse, legislation
from .figures import FineRows, RegionRows
from .models import CaseFigure, DeputyYear, WorkFigure


def narrowed(rows: QuerySet, region: Region | None, station: Station | None) -> QuerySet:
    if region is not None:
        rows = rows.filter(region_path__startswith=region.path)
    if station is not None:
        rows = rows.filter(station_id=station.pk)
    return rows


def check_place(user, region: Region | None, station: Station | None) -> None:
    """NotAllowed when the region or station chosen is outside the account's scope."""
    if region is not None:
        require(user, "region.view_stats", region, _("This region is outside your scope."))
    if station is not None:
        require(user, "station.view_stats", station, _("This station is outside your scope."))


def staff_rows(user, region: Region | None = None, station: Station | None = None) -> QuerySet:
    """The rows `user` may read, narrowed to a region or station; NotAllowed outside the scope."""
    check_place(user, region, station)
    return narrowed(restrict(CaseFigure.objects.all(), user, "view"), region, station)


def staff_work_rows(user, region: Region | None, station: Station | None) -> QuerySet:
    check_place(user, region, station)
    return narrowed(restrict(WorkFigure.objects.all(), user, "view"), region, station)


def public_work_rows(region: Region | None, station: Station | None) -> QuerySet:
    return narrowed(WorkFigure.objects.all(), region, station)


def deputy_years(rows: QuerySet, year: int, region, station) -> QuerySet:
    """The 三个一 rows of `year`, narrowed to the deputies of a region or sitting in a station."""
    rows = rows.filter(year=year)
    if region is not None:
        rows = rows.filter(region_path__startswith=region.path)
    if station is not None:
        rows = rows.filter(deputy__stations__pk=station.pk)
    return rows


def staff_deputy_years(user, year: int, region, station) -> QuerySet:
    check_place(user, region, station)
    return deputy_years(restrict(DeputyYear.objects.all(), user, "view"), year, region, station)


def public_deputy_years(year: int, region, station) -> QuerySet:
    return deputy_years(DeputyYear.objects.all(), year, region, station)


def public_rows(region: Region | None = None, station: Station | None = None) -> QuerySet:
    return narrowed(CaseFigure.objects.all(), region, station)


@dataclass
class Sources:
    """Every set of rows one viewer's page is counted from, already scoped and narrowed."""

    case_rows: QuerySet
    work_rows: QuerySet
    deputy_years: QuerySet
    suggestions: QuerySet
    cases: QuerySet
    coverage_region: Region | None  # whose townships' coverage is shown; None: not shown
    coverage_shown: bool = True
    legislation: QuerySet | None = None  # the contact points' comments (legislation.py)
    # The case figures as the pages read them: the coarse rows of one region where the scope is a
    # whole region (coarse.py), else the fine `case_rows` (figures.FineRows).
    figures: FineRows | None = None
    # What the scope is, for the cache key (cache.py): two viewers with the same scope see the
    # same figures, two with different scopes never share them.
    scope: str = "public"

    def __post_init__(self):
        if self.figures is None:
            self.figures = FineRows(self.case_rows)


def staff_scope(user) -> tuple[str, int | None]:
    """The viewer's scope as the permission table draws it for the rollups: ("all", None) for
    an administrator, ("region", id) for a committee, ("user", id) for anyone narrower (a
    station, a deputy, a department: their own key, never shared)."""
    if user.is_administrator:
        return "all", None
    if user.role == Role.COMMITTEE_STAFF and user.region_id is not None:
        return "region", user.region_id
    return "user", user.pk


def staff_figures(user, region: Region | None, station: Station | None, case_rows: QuerySet):
    """The coarse rows of the region the viewer sees whole, or the fine rows they may read."""
    kind, _key = staff_scope(user)
    if station is not None or kind == "user":
        return FineRows(case_rows)
    # check_place has made sure a chosen region lies in the scope.
    whole = region or (user.region if kind == "region" else None)
    if not coarse.has_rows(whole):
        return FineRows(case_rows)
    return RegionRows(whole.pk if whole is not None else coarse.EVERYTHING)


def _narrow_by_path(rows: QuerySet, region, station, station_field: str) -> QuerySet:
    if region is not None:
        rows = rows.filter(region_path__startswith=region.path)
    if station is not None:
        rows = rows.filter(**{station_field: station.pk})
    return rows


def staff_sources(user, region: Region | None, station: Station | None, year: int) -> Sources:
    """What `user` may count, narrowed to a region or station; NotAllowed outside the scope."""
    check_place(user, region, station)
    committee = user.role == Role.COMMITTEE_STAFF and user.region_id is not None
    case_rows = narrowed(restrict(CaseFigure.objects.all(), user, "view"), region, station)
    return Sources(
        case_rows=case_rows,
        figures=staff_figures(user, region, station, case_rows),
        scope=":".join(str(part) for part in staff_scope(user)),
        work_rows=narrowed(restrict(WorkFigure.objects.all(), user, "view"), region, station),
        deputy_years=deputy_years(
            restrict(DeputyYear.objects.all(), user, "view"), year, region, station
        ),
        suggestions=_narrow_by_path(
            restrict(Suggestion.objects.all(), user, "view"), region, station, "station_id"
        ),
        cases=_narrow_by_path(
            restrict(Case.objects.verified(), user, "view"), region, station, "station_id"
        ),
        # Coverage is the directory's, the same for everyone: shown where it is a committee's
        # question (its region's townships), not to a station or a deputy.
        coverage_region=region or (user.region if committee else None),
        coverage_shown=(committee or user.is_administrator) and station is None,
        legislation=legislation.narrow(legislation.staff_comments(user), region, station),
    )


def public_sources(region: Region | None, station: Station | None, year: int) -> Sources:
    return Sources(
        case_rows=public_rows(region, station),
        figures=(
            FineRows(public_rows(region, station))
            if station is not None or not coarse.has_rows(region)
            else RegionRows(region.pk if region is not None else coarse.EVERYTHING)
        ),
        work_rows=public_work_rows(region, station),
        deputy_years=public_deputy_years(year, region, station),
        suggestions=_narrow_by_path(
            Suggestion.objects.filter(submitted_at__isnull=False), region, station, "station_id"
        ),
        cases=_narrow_by_path(Case.objects.verified(), region, station, "station_id"),
        coverage_region=region,
        coverage_shown=station is None,
        legislation=legislation.narrow(legislation.public_comments(), region, station),
    )
