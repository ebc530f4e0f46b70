"""The figures of issue 13 for a date range and a set of rollup rows (docs/statistics.md).

Every figure is read from `CaseFigure` (never from the cases table) in a fixed number of queries,
whatever the data: one GROUP BY for the totals, one each for channels, categories, departments and
months. Rates carry their numerator and denominator; the departments' rates a 95 % Wilson
interval, and the table is sorted by its lower bound, so that 3 of 3 on time is not ranked above
290 of 300. The one exception is `open_now`: open and overdue cases *now* are a state, not a
history, read from the cases' indexed status and due date with a capped count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from liaison.cases.models import Channel, ReferralChannel
from liaison.cases.workflow import OPEN
from liaison.directory.models import Category, Department

from . import coarse
from .counted import STEPS
from .models import RegionFigure

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
    referrals: list[tuple[ReferralChannel, int]] = field(default_factory=list)
    rising: list[Rising] = field(default_factory=list)
    previous: tuple[date, date] | None = None
    channel_rows: list[tuple[str, str, int]] = field(default_factory=list)  # value, label, n


@dataclass
class Rising:
    """A category received more often than in the previous period of the same length."""

    category: Category
    now: int
    before: int

    @property
    def change(self) -> int:
        return self.now - self.before


OPEN_CAP = 10_000  # "10000+" is as useful as the exact number and stops the count early


@dataclass
class OpenNow:
    open: int
    overdue: int
    cap: int = OPEN_CAP


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
DEPARTMENT_METRICS = list(coarse.DEPARTMENT_METRICS)
TREND_METRICS = ["received", "resolved", "rated", "satisfied"]


class FineRows:
    """Figures summed from the fine rollup `CaseFigure` (already scoped and narrowed): what a
    station's, a deputy's or a department's page reads, and any scope `restrict()` cuts finer
    than a region."""

    def __init__(self, rows: QuerySet):
        self.rows = rows

    def _period(self, start: date, end: date) -> QuerySet:
        return self.rows.filter(day__gte=start, day__lte=end)

    def totals(self, start: date, end: date):
        """(metric, bucket, n) for every metric and bucket."""
        return self._period(start, end).values_list("metric", "bucket").annotate(n=Sum("count"))

    def received_by(self, dimension: str, start: date, end: date) -> dict:
        """Messages received per channel code or per category id."""
        column = "category_id" if dimension == "category" else "channel"
        return dict(
            self._period(start, end)
            .filter(metric="received")
            .values_list(column)
            .annotate(n=Sum("count"))
            .order_by()
        )

    def departments(self, start: date, end: date):
        """(department id, metric, n) for the departments' table."""
        return (
            self._period(start, end)
            .filter(department_id__gt=0, metric__in=DEPARTMENT_METRICS)
            .values_list("department_id", "metric")
            .annotate(n=Sum("count"))
            .order_by()
        )

    def by_deputy(self, start: date, end: date):
        """(deputy id, metric, n): the messages each deputy replied to and answered."""
        return (
            self._period(start, end)
            .filter(deputy_id__gt=0, metric__in=coarse.DEPUTY_METRICS)
            .values_list("deputy_id", "metric")
            .annotate(n=Sum("count"))
            .order_by()
        )

    def months(self, start: date, end: date):
        """(first of the month, metric, n) for the trend metrics."""
        return (
            self._period(start, end)
            .filter(metric__in=TREND_METRICS)
            .annotate(month=TruncMonth("day"))
            .values_list("month", "metric")
            .annotate(n=Sum("count"))
            .order_by("month")
        )


class RegionRows(FineRows):
    """The same figures from the coarse rollup `RegionFigure` of one region (coarse.py; 0:
    everything): whole months from the month rows, the edge days from the day rows, each
    grouping from its own narrow slice."""

    def __init__(self, region_id: int):
        self.region_id = region_id
        super().__init__(RegionFigure.objects.filter(region_id=region_id))

    def _period(self, start: date, end: date, dimension: str = "") -> QuerySet:
        return coarse.rows_of([self.region_id], dimension, start, end)

    def received_by(self, dimension: str, start: date, end: date) -> dict:
        found = (
            self._period(start, end, dimension)
            .filter(metric="received")
            .values_list("value")
            .annotate(n=Sum("count"))
            .order_by()
        )
        if dimension == "category":
            return {int(value): n for value, n in found}
        return dict(found)

    def departments(self, start: date, end: date):
        return [
            (int(value), metric, n)
            for value, metric, n in self._period(start, end, "department")
            .values_list("value", "metric")
            .annotate(n=Sum("count"))
            .order_by()
        ]

    def by_deputy(self, start: date, end: date):
        return [
            (int(value), metric, n)
            for value, metric, n in self._period(start, end, "deputy")
            .values_list("value", "metric")
            .annotate(n=Sum("count"))
            .order_by()
        ]


def figure_rows(rows) -> FineRows:
    """A QuerySet of CaseFigure rows as FineRows; FineRows or RegionRows as they are."""
    return rows if isinstance(rows, FineRows) else FineRows(rows)


def compute(rows, start: date, end: date) -> Figures:
    """The figures of the rollup rows `rows` (already scoped: a CaseFigure QuerySet, FineRows or
    RegionRows) from `start` to `end` inclusive."""
    rows = figure_rows(rows)
    totals: dict[str, int] = dict.fromkeys(COUNTERS, 0)
    histograms: dict[str, dict[int, int]] = {step: {} for step in STEPS}
    referred_to: dict[int, int] = {}
    for metric, bucket, n in rows.totals(start, end):
        if metric.startswith("wd."):
            histograms[metric[3:]][bucket] = n
        elif metric == "referred_to":
            referred_to[bucket] = n
        else:
            totals[metric] = totals.get(metric, 0) + n
    steps = [
        Step(
            name,
            Rate(totals.get(f"ontime.{name}", 0), totals.get(f"due.{name}", 0)),
            quantile(histograms[name], 0.5),
            quantile(histograms[name], 0.9),
        )
        for name in STEPS
    ]
    by_channel = rows.received_by("channel", start, end)
    channels = [(label, by_channel.get(value, 0)) for value, label in Channel.choices]
    by_category = rows.received_by("category", start, end)
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
    channels_by_id = ReferralChannel.objects.in_bulk(list(referred_to))
    referrals = [(channels_by_id[pk], n) for pk, n in referred_to.items() if pk in channels_by_id]
    referrals.sort(key=lambda pair: (pair[0].sort_order, pair[0].code))
    previous = previous_period(start, end)
    return Figures(
        start=start,
        end=end,
        totals=totals,
        channels=channels,
        categories=categories,
        steps=steps,
        departments=_departments(rows, start, end),
        months=_months(rows, start, end),
        rates=rates,
        referrals=referrals,
        rising=_rising(rows, previous, dict(by_category), {c.pk: c for c, _n in categories}),
        previous=previous,
        channel_rows=[(value, label, by_channel.get(value, 0)) for value, label in Channel.choices],
    )


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before (the one a committee compares with)."""
    return start - (end - start) - timedelta(days=1), start - timedelta(days=1)


RISING_SHOWN = 10


def _rising(rows: FineRows, previous, now: dict[int, int], categories: dict) -> list[Rising]:
    """Hot categories: more messages than in the previous period, the largest rise first."""
    before = rows.received_by("category", *previous)
    found = [
        Rising(categories[pk], n, before.get(pk, 0))
        for pk, n in now.items()
        if pk in categories and n > before.get(pk, 0)
    ]
    found.sort(key=lambda row: (-row.change, -row.now, row.category.sort_order))
    return found[:RISING_SHOWN]


def open_now(cases: QuerySet, *, now=None) -> OpenNow:
    """Open and overdue cases now, from the indexed status and due_at, each count stopped at
    OPEN_CAP. `cases`: already scoped and verified."""
    now = now or timezone.now()
    open_cases = cases.filter(status__in=sorted(OPEN))
    return OpenNow(
        open=open_cases.order_by()[: OPEN_CAP + 1].count(),
        overdue=open_cases.filter(due_at__lt=now).order_by()[: OPEN_CAP + 1].count(),
    )


def departments(rows, start: date, end: date) -> list[DepartmentRow]:
    """The departments' timeliness table alone (its export, exports.py)."""
    return _departments(figure_rows(rows), start, end)


def _departments(rows: FineRows, start: date, end: date) -> list[DepartmentRow]:
    found: dict[int, dict[str, int]] = {}
    for department_id, metric, n in rows.departments(start, end):
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


def _months(rows: FineRows, start: date, end: date) -> list[dict]:
    found: dict[date, dict[str, int]] = {}
    for month, metric, n in rows.months(start, end):
        found.setdefault(month, dict.fromkeys(TREND_METRICS, 0))[metric] = n
    return [
        {"month": month, **counts, "satisfaction": Rate(counts["satisfied"], counts["rated"])}
        for month, counts in sorted(found.items())
    ]
