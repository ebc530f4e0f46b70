"""Drill down by the region tree (docs/statistics.md, "Drill down"): the key figures of each
child region of the region shown — and of the stations sitting directly in it — from one
GROUP BY on the rollup (the child's path is a prefix of the rows' region path), never a scan of
the cases. Each row links to the dashboard of that child for the same period; the breadcrumb goes
back up to the viewer's own scope root, never above it."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet, Sum
from django.db.models.functions import Substr

from liaison.accounts.rules import Role
from liaison.directory.models import Region, Station

from . import coarse
from .counted import STEPS
from .figures import Rate

METRICS = ["received", "resolved", "rated", "satisfied"] + [
    f"{kind}.{step}" for step in STEPS for kind in ("due", "ontime")
]


@dataclass
class Row:
    place: Region | Station
    received: int = 0
    resolved: int = 0
    on_time: Rate = field(default_factory=lambda: Rate(0, 0))
    satisfaction: Rate = field(default_factory=lambda: Rate(0, 0))

    @property
    def is_station(self) -> bool:
        return isinstance(self.place, Station)


@dataclass
class DrillDown:
    region: Region | None  # whose children are listed; None: the top of the tree
    regions: list[Row]
    stations: list[Row]
    trail: list[Region]  # from the viewer's root down to `region`


def _row(place, counts: dict[str, int]) -> Row:
    due = sum(counts.get(f"due.{step}", 0) for step in STEPS)
    on_time = sum(counts.get(f"ontime.{step}", 0) for step in STEPS)
    return Row(
        place,
        counts.get("received", 0),
        counts.get("resolved", 0),
        Rate(on_time, due),
        Rate(counts.get("satisfied", 0), counts.get("rated", 0)),
    )


def root(user) -> Region | None:
    """The top of what the viewer may drill: a committee's region, everything for others."""
    if user.role == Role.COMMITTEE_STAFF and user.region_id is not None:
        return user.region
    return None


def compute(
    rows: QuerySet, region: Region | None, start: date, end: date, *, top=None, whole=False
):
    """`rows`: the viewer's scoped CaseFigure rows (already narrowed to `region`). `whole`: the
    viewer sees every child region whole (a committee, an administrator), so the children's
    figures come from the coarse rows of each child (coarse.py) instead of the fine rows."""
    rows = rows.filter(day__gte=start, day__lte=end, metric__in=METRICS)
    children = list(
        Region.objects.filter(parent=region)
        if region is not None
        else Region.objects.filter(parent__isnull=True)
    )
    if whole and all(coarse.has_rows(child) for child in children):
        by_id: dict[int, dict[str, int]] = {}
        for region_id, metric, n in (
            coarse.rows_of([child.pk for child in children], "", start, end)
            .filter(metric__in=METRICS)
            .values_list("region_id", "metric")
            .annotate(n=Sum("count"))
            .order_by()
        ):
            by_id.setdefault(region_id, {})[metric] = n
        regions = [_row(child, by_id.get(child.pk, {})) for child in children]
    else:
        regions = _children_from_fine(rows, children)
    stations: list[Row] = []
    if region is not None:
        here = list(Station.objects.filter(region=region).order_by("code"))
        by_station: dict[int, dict[str, int]] = {}
        if here:
            for station_id, metric, n in (
                rows.filter(region_path=region.path)
                .values_list("station_id", "metric")
                .annotate(n=Sum("count"))
                .order_by()
            ):
                by_station.setdefault(station_id, {})[metric] = n
        stations = [_row(station, by_station.get(station.pk, {})) for station in here]
    return DrillDown(region, regions, stations, trail(region, top))


def _children_from_fine(rows: QuerySet, children: list[Region]) -> list[Row]:
    by_path: dict[str, dict[str, int]] = {}
    lengths = sorted({len(child.path) for child in children})
    # Division codes have one length, so this is one GROUP BY; mixed lengths one per length.
    for length in lengths:
        for prefix, metric, n in (
            rows.annotate(prefix=Substr("region_path", 1, length))
            .values_list("prefix", "metric")
            .annotate(n=Sum("count"))
            .order_by()
        ):
            counts = by_path.setdefault(prefix, {})
            counts[metric] = counts.get(metric, 0) + n
    return [_row(child, by_path.get(child.path, {})) for child in children]


def trail(region: Region | None, top: Region | None) -> list[Region]:
    """The regions from `top` (the viewer's root; None: the top of the tree) down to `region`."""
    if region is None:
        return []
    chain = list(region.ancestors())
    if top is not None:
        chain = [r for r in chain if r.path.startswith(top.path)]
    return chain
