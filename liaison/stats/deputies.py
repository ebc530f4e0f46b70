"""三个一 per deputy and per level, station coverage of the townships (乡镇/街道全覆盖) and the
deputies entered into a station (进站率) — docs/statistics.md, "Stations and deputies".

三个一 is read from `liaison/records/three.py`, the one rule, for a chunk of deputies at a time
(five queries per chunk) and kept in `DeputyYear` by the worker: a page reads one GROUP BY.
Coverage and 进站率 read the directory (regions, stations, deputies: thousands of rows, not the
millions of visits or cases), with the database counting.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from liaison.directory.models import Deputy, DeputyLevel, Region, RegionLevel, Station
from liaison.records.three import FUTURE, MISSED, progress_for
from liaison.workdays.deadlines import local_day

from .figures import Rate
from .models import DeputyYear

CHUNK = 500


def refresh(year: int | None = None, *, on: date | None = None) -> int:
    """Recount 三个一 of every active deputy for `year` (default: this year). Answers how many."""
    on = on or local_day(timezone.now())
    year = year or on.year
    done = 0
    deputies = Deputy.objects.filter(is_active=True).order_by("pk")
    last = 0
    while True:
        chunk = list(
            deputies.filter(pk__gt=last).values_list("pk", "level", "region__path")[:CHUNK]
        )
        if not chunk:
            return done
        found = progress_for([pk for pk, _level, _path in chunk], year, on=on)
        for pk, level, path in chunk:
            p = found[pk]
            months = [state for _m, state in p.months]
            quarters = [state for _q, state in p.quarters]
            DeputyYear.objects.update_or_create(
                deputy_id=pk,
                year=year,
                defaults={
                    "region_path": path,
                    "level": level,
                    "contact_months": len(p.contact_months),
                    "months_due": sum(state != FUTURE for state in months),
                    "contact_missed": months.count(MISSED),
                    "activity_quarters": len(p.activity_quarters),
                    "quarters_due": sum(state != FUTURE for state in quarters),
                    "activity_missed": quarters.count(MISSED),
                    "reported": p.reported,
                    "behind": p.behind,
                },
            )
        done += len(chunk)
        last = chunk[-1][0]


@dataclass
class LevelRow:
    level: int
    label: str
    deputies: int
    contact: Rate  # deputies who missed no month so far / deputies
    activity: Rate  # deputies who missed no quarter so far / deputies
    report: Rate  # deputies who reported to their voters this year / deputies


def by_level(rows: QuerySet) -> list[LevelRow]:
    """三个一 as a rate per deputy level, from the `DeputyYear` rows of one year (one query)."""
    found = {
        level: (n, contact, activity, reported)
        for level, n, contact, activity, reported in rows.values_list("level")
        .annotate(
            n=Count("pk"),
            contact=Count("pk", filter=Q(contact_missed=0)),
            activity=Count("pk", filter=Q(activity_missed=0)),
            reported=Count("pk", filter=Q(reported=True)),
        )
        .order_by("level")
    }
    return [
        LevelRow(
            level,
            label,
            found[level][0],
            Rate(found[level][1], found[level][0]),
            Rate(found[level][2], found[level][0]),
            Rate(found[level][3], found[level][0]),
        )
        for level, label in DeputyLevel.choices
        if level in found
    ]


def per_deputy(rows: QuerySet, limit: int) -> list[DeputyYear]:
    """The deputies furthest behind first (at most `limit`), with their names (one query)."""
    return list(
        rows.select_related("deputy").order_by(
            "-contact_missed", "-activity_missed", "reported", "deputy__name"
        )[:limit]
    )


@dataclass
class Coverage:
    townships: Rate  # townships and streets with an active station / all of them
    uncovered: list[Region]  # the first few without one
    entered: Rate  # active deputies sitting in a station / active deputies
    entered_by_level: list[tuple[str, Rate]]


def coverage(region: Region | None, *, uncovered_shown: int = 20) -> Coverage:
    """Coverage of the townships under `region` (everything when None), in three queries."""
    regions = Region.objects.all() if region is None else Region.objects.subtree(region)
    townships = regions.filter(level=RegionLevel.TOWNSHIP)
    # A station in the township or in a community below it covers it: its path starts with
    # the township's. Read as the set of every path prefix of the active stations' regions (a
    # few per station) rather than a LIKE per township against every station, which no index
    # serves (28 s for a province's 1,485 townships and 20,000 stations, bench/stats_scale.py).
    stations = Station.objects.filter(is_active=True)
    if region is not None:
        stations = stations.filter(region__path__startswith=region.path)
    covering: set[str] = set()
    for path in stations.values_list("region__path", flat=True).distinct():
        parts = path.strip("/").split("/")
        covering.update("/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1))
    paths = list(townships.order_by("path").values_list("pk", "path"))
    covered = sum(1 for _pk, path in paths if path in covering)
    missing = [pk for pk, path in paths if path not in covering][:uncovered_shown]
    uncovered = list(Region.objects.filter(pk__in=missing).order_by("path"))
    counted = {"n": len(paths), "covered": covered}
    deputies = Deputy.objects.filter(is_active=True)
    if region is not None:
        deputies = deputies.filter(region__path__startswith=region.path)
    in_station = Exists(Deputy.stations.through.objects.filter(deputy_id=OuterRef("pk")))
    rows = (
        deputies.values_list("level")
        .annotate(n=Count("pk"), inside=Count("pk", filter=Q(in_station)))
        .order_by("level")
    )
    labels = dict(DeputyLevel.choices)
    by_level = [(labels.get(level, level), Rate(inside, n)) for level, n, inside in rows]
    return Coverage(
        townships=Rate(counted["covered"], counted["n"]),
        uncovered=uncovered,
        entered=Rate(
            sum(rate.numerator for _label, rate in by_level),
            sum(rate.denominator for _label, rate in by_level),
        ),
        entered_by_level=by_level,
    )
