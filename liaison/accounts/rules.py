"""The scope primitives the permission table is written with (liaison/core/permissions.py).

Each returns a function `user → Q` over a model, given the path from that model to the field that
decides: the region path it lies under, its station, its deputy, its department. Apps compose them
in their `permissions.py`:

    register("case.review", Case, {
        Role.COMMITTEE_STAFF: region_covers("region_path"),
        Role.STATION_STAFF: at_station("station_id"),
    })
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from liaison.core.permissions import EVERYTHING, NOTHING, Scope
from liaison.directory.models import Deputy, Region, Station

from .models import Role

__all__ = [
    "EVERYTHING",
    "NOTHING",
    "Match",
    "Role",
    "always",
    "at_station",
    "deputies_below",
    "is_deputy",
    "of_department",
    "region_covers",
    "speaks_for",
]


def always(user) -> Q:
    return EVERYTHING


@dataclass(frozen=True)
class Match:
    """The rows whose field `path` equals the account's value (or starts with it: `prefix`), and
    that also meet the fixed conditions `also` ({"deputy_id__isnull": False}). For a field of the
    row itself (no "__" in the path) `test` answers for a loaded object without a query."""

    path: str
    value: Callable[[Any], Any]
    prefix: bool = False
    also: dict[str, Any] = field(default_factory=dict)

    def __call__(self, user) -> Q:
        lookup = f"{self.path}__startswith" if self.prefix else self.path
        return Q(**{lookup: self.value(user)}, **self.also)

    def test(self, user, obj) -> bool | None:
        if "__" in self.path or any(not _local(key) for key in self.also):
            return None
        have, want = getattr(obj, self.path), self.value(user)
        if want is None or have is None:
            return False
        matches = str(have).startswith(want) if self.prefix else have == want
        return matches and all(_holds(obj, key, value) for key, value in self.also.items())


def _local(key: str) -> bool:
    lookup = key.partition("__")[2]
    return "__" not in lookup and lookup in ("", "isnull")


def _holds(obj, key: str, value) -> bool:
    name, _, lookup = key.partition("__")
    have = getattr(obj, name)
    return (have is None) == value if lookup == "isnull" else have == value


def region_covers(path: str, **also) -> Match:
    """Committee staff: everything whose region path lies under the region they supervise."""
    return Match(path, lambda user: user.region.path, prefix=True, also=also)


def at_station(path: str, **also) -> Match:
    return Match(path, lambda user: user.station_id, also=also)


def is_deputy(path: str, **also) -> Match:
    return Match(path, lambda user: user.deputy_id, also=also)


def of_department(path: str) -> Match:
    return Match(path, lambda user: user.department_id)


def speaks_for(deputy: str) -> dict[str, Scope]:
    """Who writes in a deputy's name (their record entries, their suggestions, their replies):
    the deputy's own account and the staff of a station the deputy sits in. `deputy` is the path
    to the deputy's id ("deputy_id", "lead_deputy_id", or "pk" on Deputy itself)."""
    stations = "stations__pk" if deputy == "pk" else f"{deputy.removesuffix('_id')}__stations__pk"
    return {
        Role.DEPUTY: is_deputy(deputy),
        Role.STATION_STAFF: lambda user: Q(**{stations: user.station_id}),
    }


def deputies_below(region: Region):
    """Ids of the deputies a committee looks after: living in its region or below, or sitting in
    a station there. A UNION of two indexed reads (region_id, and the deputy–station links of the
    stations below) — an OR across the stations join made PostgreSQL read every deputy and every
    link (bench/records_scale.py)."""
    regions = Region.objects.filter(path__startswith=region.path).values("pk")
    # order_by(): without it the deputies' default ordering sorts the first half for nothing.
    by_region = Deputy.objects.filter(region_id__in=regions).order_by().values("pk")
    by_station = (
        Deputy.stations.through.objects.filter(
            station_id__in=Station.objects.filter(region_id__in=regions).values("pk")
        )
        .order_by()
        .values("deputy_id")
    )
    return by_region.union(by_station)
