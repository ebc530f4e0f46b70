"""The figures of issue 13 for a date range and a set of rollup rows (docs/statistics.md).

Every figure is read from `CaseFigure` (never from the cases table) in a fixed number of queries,
whatever the data: one GROUP BY for the totals, one each for channels, categories, departments and
months. Rates carry their numerator and denominator; the departments' rates a 95 % Wilson
interval, and the table is sorted by its lower bound, so that 3 of 3 on time is not ranked above
290 of 300.
"""

import math
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth

from liaison.cases.models import Channel
from liaison.directory.models import Category, Department

from .rollup import STEPS

Z = 1.96  # 95 %


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> str:
        value = self.value
        return "—" if value is None else f"{value * 100:.1f}%"

    @property
    def wilson(self) -> tuple[float, float]:
        """The 95 % Wilson score interval; (0, 1) without a denominator."""
        n, x = self.denominator, self.numerator
        if not n:
            return 0.0, 1.0
        p = x / n
        centre = p + Z * Z / (2 * n)
        spread = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
        scale = 1 + Z * Z / n
        return max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale)

    @property
    def interval(self) -> str:
        if not self.denominator:
            return "—"
        low, high = self.wilson
        return f"{low * 100:.1f}–{high * 100:.1f}%"


def quantile(histogram: dict[int, int], q: float) -> int | None:
    """The nearest-rank quantile of a histogram {working days: count}."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(math.ceil(q * total), 1)
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return bucket
    return None  # pragma: no cover - the loop always reaches the rank


@dataclass
class Step:
    name: str
    on_time: Rate
    median: int | None
    p90: int | None


@dataclass
class DepartmentRow:
    department: Department
    assigned: int
    signed_on_time: Rate
    resolved_on_time: Rate
    extended: int
    returned: int
    satisfaction: Rate


@dataclass
class Figures:
    start: date
    end: date
    totals: dict[str, int]
    channels: list[tuple[str, int]]
    categories: list[tuple[Category, int]]
    steps: list[Step]
    departments: list[DepartmentRow]
    months: list[dict]
    rates: dict[str, Rate] = field(default_factory=dict)


COUNTERS = (
    "received",
    "accepted",
    "rejected",
    "referred",
    "merged",
    "withdrawn",
    "replied",
    "settled",
    "assigned",
    "reassigned",
    "signed",
    "returned",
    "extended",
    "reported",
    "answered",
    "rated",
    "satisfied",
    "rehandled",
    "resolved",
)
DEPARTMENT_METRICS = [
    "assigned",
    "due.sign",
    "ontime.sign",
    "due.handle",
    "ontime.handle",
    "extended",
    "returned",
    "rated",
    "satisfied",
]
TREND_METRICS = ["received", "resolved", "rated", "satisfied"]


def compute(rows: QuerySet, start: date, end: date) -> Figures:
    """The figures of the rollup rows `rows` (already scoped) from `start` to `end` inclusive."""
    rows = rows.filter(day__gte=start, day__lte=end)
    totals: dict[str, int] = dict.fromkeys(COUNTERS, 0)
    histograms: dict[str, dict[int, int]] = {step: {} for step in STEPS}
    for metric, bucket, n in rows.values_list("metric", "bucket").annotate(n=Sum("count")):
        if metric.startswith("wd."):
            histograms[metric[3:]][bucket] = n
        else:
            totals[metric] = n
    steps = [
        Step(
            name,
            Rate(totals.get(f"ontime.{name}", 0), totals.get(f"due.{name}", 0)),
            quantile(histograms[name], 0.5),
            quantile(histograms[name], 0.9),
        )
        for name in STEPS
    ]
    by_channel = dict(
        rows.filter(metric="received").values_list("channel").annotate(n=Sum("count"))
    )
    channels = [(label, by_channel.get(value, 0)) for value, label in Channel.choices]
    by_category = dict(
        rows.filter(metric="received").values_list("category_id").annotate(n=Sum("count"))
    )
    categories = [
        (category, by_category[category.pk])
        for category in Category.objects.filter(pk__in=list(by_category))
    ]
    categories.sort(key=lambda pair: -pair[1])
    rates = {
        "satisfaction": Rate(totals["satisfied"], totals["rated"]),
        "rating_coverage": Rate(totals["rated"], totals["answered"]),
        "rehandling": Rate(totals["rehandled"], totals["rated"]),
    }
    return Figures(
        start=start,
        end=end,
        totals=totals,
        channels=channels,
        categories=categories,
        steps=steps,
        departments=_departments(rows),
        months=_months(rows),
        rates=rates,
    )


def departments(rows: QuerySet, start: date, end: date) -> list[DepartmentRow]:
    """The departments' timeliness table alone (its export, exports.py)."""
    return _departments(rows.filter(day__gte=start, day__lte=end))


def _departments(rows: QuerySet) -> list[DepartmentRow]:
    found: dict[int, dict[str, int]] = {}
    for department_id, metric, n in (
        rows.filter(department_id__gt=0, metric__in=DEPARTMENT_METRICS)
        .values_list("department_id", "metric")
        .annotate(n=Sum("count"))
    ):
        found.setdefault(department_id, {})[metric] = n
    departments = Department.objects.in_bulk(list(found))
    result = []
    for pk, counts in found.items():
        if pk not in departments:
            continue
        result.append(
            DepartmentRow(
                department=departments[pk],
                assigned=counts.get("assigned", 0),
                signed_on_time=Rate(counts.get("ontime.sign", 0), counts.get("due.sign", 0)),
                resolved_on_time=Rate(counts.get("ontime.handle", 0), counts.get("due.handle", 0)),
                extended=counts.get("extended", 0),
                returned=counts.get("returned", 0),
                satisfaction=Rate(counts.get("satisfied", 0), counts.get("rated", 0)),
            )
        )
    # By the lower bound of "resolved on time": a small denominator gives a low bound.
    result.sort(key=lambda row: (-row.resolved_on_time.wilson[0], row.department.name))
    return result


def _months(rows: QuerySet) -> list[dict]:
    found: dict[date, dict[str, int]] = {}
    for month, metric, n in (
        rows.filter(metric__in=TREND_METRICS)
        .annotate(month=TruncMonth("day"))
        .values_list("month", "metric")
        .annotate(n=Sum("count"))
        .order_by("month")
    ):
        found.setdefault(month, dict.fromkeys(TREND_METRICS, 0))[metric] = n
    return [
        {"month": month, **counts, "satisfaction": Rate(counts["satisfied"], counts["rated"])}
        for month, counts in sorted(found.items())
    ]
