"""The figures of the stations' and deputies' work (docs/statistics.md, "Stations and deputies"),
read from the work rollup (`WorkFigure`) and, for the messages each deputy answered, the case
rollup: a fixed number of GROUP BY queries whatever the data."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet, Sum

from liaison.activities.models import ActivityKind
from liaison.directory.models import Deputy

from . import figures, work

DEPUTIES_SHOWN = 100  # the busiest first; a narrower region or a station shows the others


@dataclass
class DeputyRow:
    deputy: Deputy
    visitors: int = 0
    duties: int = 0
    activities: int = 0
    replied: int = 0
    answered: int = 0


@dataclass
class WorkFigures:
    visitors: int = 0
    visitors_booked: int = 0
    reception_days: int = 0
    activities: int = 0
    participants: int = 0
    kinds: list[tuple[ActivityKind, int, int]] = field(default_factory=list)
    deputies: list[DeputyRow] = field(default_factory=list)
    deputies_more: bool = False


DEPUTY_METRICS = {
    work.DEPUTY_VISITORS: "visitors",
    work.DEPUTY_DUTIES: "duties",
    work.DEPUTY_ACTIVITIES: "activities",
}


def totals(rows: QuerySet, start: date, end: date) -> WorkFigures:
    """The stations' totals alone, in two queries (open data, per region; the reports)."""
    station_rows = rows.filter(day__gte=start, day__lte=end, deputy_id=0)
    found = WorkFigures()
    sums = dict(station_rows.values_list("metric").annotate(n=Sum("count")).order_by())
    found.visitors = sums.get(work.VISITORS, 0)
    found.visitors_booked = sums.get(work.BOOKED, 0)
    found.activities = sums.get(work.ACTIVITIES, 0)
    found.participants = sums.get(work.PARTICIPANTS, 0)
    # One row per station and day; a positive count means a deputy was there on duty.
    found.reception_days = station_rows.filter(metric=work.DUTIES, count__gt=0).count()
    return found


def compute(rows: QuerySet, case_rows, start: date, end: date) -> WorkFigures:
    """`rows`: scoped WorkFigure rows; `case_rows`: the same viewer's case figures (CaseFigure
    rows, or figures.FineRows / RegionRows)."""
    found = totals(rows, start, end)
    rows = rows.filter(day__gte=start, day__lte=end)
    station_rows = rows.filter(deputy_id=0)
    by_kind: dict[int, dict[str, int]] = {}
    for kind_id, metric, n in (
        station_rows.filter(metric__in=[work.ACTIVITIES, work.PARTICIPANTS], kind_id__gt=0)
        .values_list("kind_id", "metric")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        by_kind.setdefault(kind_id, {})[metric] = n
    kinds = ActivityKind.objects.in_bulk(list(by_kind))
    found.kinds = sorted(
        (
            (kinds[pk], counts.get(work.ACTIVITIES, 0), counts.get(work.PARTICIPANTS, 0))
            for pk, counts in by_kind.items()
            if pk in kinds
        ),
        key=lambda row: (row[0].position, row[0].code),
    )
    found.deputies, found.deputies_more = _deputies(
        rows, figures.figure_rows(case_rows).by_deputy(start, end)
    )
    return found


def _deputies(rows: QuerySet, answered) -> tuple[list[DeputyRow], bool]:
    counts: dict[int, dict[str, int]] = {}
    for deputy_id, metric, n in (
        rows.filter(deputy_id__gt=0, metric__in=list(DEPUTY_METRICS))
        .values_list("deputy_id", "metric")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        counts.setdefault(deputy_id, {})[DEPUTY_METRICS[metric]] = n
    for deputy_id, metric, n in answered:
        counts.setdefault(deputy_id, {})[metric] = n
    busiest = sorted(counts, key=lambda pk: (-sum(counts[pk].values()), pk))
    shown = busiest[:DEPUTIES_SHOWN]
    deputies = Deputy.objects.in_bulk(shown)
    result = [DeputyRow(deputies[pk], **counts[pk]) for pk in shown if pk in deputies]
    return result, len(busiest) > DEPUTIES_SHOWN
