"""The legislative contact point's figures (基层立法联系点, docs/statistics.md "Legislation"): the
opinions received — online and offline, with the people behind the offline ones — and those
adopted (in full or in part), by contact-point station and by region, for a period.

A comment counts in the period it was received (`created_at`); its adoption is counted as it
stands now (the adoption has no date of its own). Confirmed, not hidden comments count, merged
ones too (the legislation app's COUNTED). Each table is one GROUP BY over the comments, using
the `created_at` index."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.permissions import restrict
from liaison.directory.models import Region, Station
from liaison.legislation.models import ADOPTED, Comment, Source
from liaison.legislation.selectors import COUNTED, PUBLIC


@dataclass
class Line:
    """One station's or region's figures."""

    key: int | None
    name: str
    code: str
    online: int = 0
    offline: int = 0
    people: int = 0  # behind the offline comments (座谈会, 走访)
    adopted: int = 0

    @property
    def comments(self) -> int:
        return self.online + self.offline


@dataclass
class Figures:
    stations: list[Line]
    regions: list[Line]
    total: Line

    @property
    def tables(self) -> list[tuple[str, list[Line], str]]:
        """(caption, lines, HTML id) of the two tables the pages show."""
        return [
            (_("By contact-point station"), self.stations, "table-legislation-stations"),
            (_("By region"), self.regions, "table-legislation-regions"),
        ]


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def public_comments() -> QuerySet:
    return Comment.objects.filter(COUNTED, draft__status__in=PUBLIC)


def staff_comments(user) -> QuerySet:
    return restrict(Comment.objects.filter(COUNTED), user, "comment.view")


def narrow(comments: QuerySet, region: Region | None, station: Station | None) -> QuerySet:
    """A region: comments entered at its stations, and online ones on its drafts without a
    station; a station: its own."""
    if station is not None:
        return comments.filter(station_id=station.pk)
    if region is not None:
        return comments.filter(
            Q(station__region__path__startswith=region.path)
            | Q(station__isnull=True, draft__region_path__startswith=region.path)
        )
    return comments


def _add(line: Line, row: dict) -> None:
    if row["source"] == Source.ONLINE:
        line.online += row["n"]
    else:
        line.offline += row["n"]
        line.people += row["people"] or 0
    line.adopted += row["adopted"]


def compute(comments: QuerySet, start: date, end: date) -> Figures:
    """Two GROUP BY queries (by station, by region) and one name lookup each."""
    low, high = _bounds(start, end)
    period = comments.filter(created_at__gte=low, created_at__lt=high)
    counts = {
        "n": Count("pk"),
        "people": Sum("people"),
        "adopted": Count("pk", filter=Q(adoption__in=ADOPTED)),
    }
    by_station = period.values("station_id", "source").annotate(**counts).order_by()
    total = Line(None, "", "")
    stations: dict[int | None, Line] = {}
    for row in by_station:
        line = stations.setdefault(row["station_id"], Line(row["station_id"], "", ""))
        _add(line, row)
        _add(total, row)
    names = Station.objects.filter(pk__in=[k for k in stations if k]).values_list(
        "pk", "name", "code"
    )
    for pk, name, code in names:
        stations[pk].name, stations[pk].code = name, code
    by_region = (
        period.annotate(place=Coalesce(F("station__region_id"), F("draft__region_id")))
        .values("place", "source")
        .annotate(**counts)
        .order_by()
    )
    regions: dict[int, Line] = {}
    for row in by_region:
        _add(regions.setdefault(row["place"], Line(row["place"], "", "")), row)
    for pk, name, code in Region.objects.filter(pk__in=list(regions)).values_list(
        "pk", "name", "code"
    ):
        regions[pk].name, regions[pk].code = name, code

    def order(line: Line):
        return (-line.comments, line.code)

    return Figures(
        stations=sorted(stations.values(), key=order),
        regions=sorted(regions.values(), key=order),
        total=total,
    )
