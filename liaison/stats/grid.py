"""The grid's figures (网格, docs/grid.md, docs/statistics.md "Grid cells"): the cases filed from
each grid cell in a period — by its grid worker (channel "Grid worker") — and how many of them
are still open, within the viewer's scope.

One GROUP BY over the scoped cases that have a cell (`Case.grid_cell`, its foreign-key index
keeps the scan to the grid's cases, a small share of all) and one name lookup."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from liaison.cases.workflow import OPEN
from liaison.directory.models import GridCell

from .legislation import _bounds


@dataclass
class CellLine:
    code: str
    name: str
    region: str
    received: int
    open: int


def compute(cases: QuerySet, start: date, end: date) -> list[CellLine]:
    """`cases`: already scoped and narrowed (stats.selectors Sources.cases)."""
    low, high = _bounds(start, end)
    rows = (
        cases.filter(grid_cell__isnull=False, created_at__gte=low, created_at__lt=high)
        .values("grid_cell_id")
        .annotate(received=Count("pk"), open=Count("pk", filter=Q(status__in=sorted(OPEN))))
        .order_by()
    )
    counts = {row["grid_cell_id"]: row for row in rows}
    cells = GridCell.objects.filter(pk__in=list(counts)).select_related("region")
    lines = [
        CellLine(
            cell.code,
            cell.name,
            cell.region.name,
            counts[cell.pk]["received"],
            counts[cell.pk]["open"],
        )
        for cell in cells
    ]
    return sorted(lines, key=lambda line: (-line.received, line.code))
