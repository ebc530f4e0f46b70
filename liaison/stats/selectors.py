"""Which rollup rows a viewer's figures are made of (docs/statistics.md, "Scope").

Staff start from `restrict()` on the rollup (the "casefigure.view" row of the permission table);
choosing a region or a station is a row of its own, so that editing the URL to another
township's code is refused, not answered with its figures. The public page reads every row:
its figures are aggregated and small counts are hidden (templatetags/stats.py).
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import require, restrict
from liaison.directory.models import Region, Station

from .models import CaseFigure


def narrowed(rows: QuerySet, region: Region | None, station: Station | None) -> QuerySet:
    if region is not None:
        rows = rows.filter(region_path__startswith=region.path)
    if station is not None:
        rows = rows.filter(station_id=station.pk)
    return rows


def staff_rows(user, region: Region | None = None, station: Station | None = None) -> QuerySet:
    """The rows `user` may read, narrowed to a region or station; NotAllowed outside the scope."""
    if region is not None:
        require(user, "region.view_stats", region, _("This region is outside your scope."))
    if station is not None:
        require(user, "station.view_stats", station, _("This station is outside your scope."))
    return narrowed(restrict(CaseFigure.objects.all(), user, "view"), region, station)


def public_rows(region: Region | None = None, station: Station | None = None) -> QuerySet:
    return narrowed(CaseFigure.objects.all(), region, station)
