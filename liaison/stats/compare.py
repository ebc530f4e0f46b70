"""Two periods side by side (docs/statistics.md, "Comparing two periods"): the headline figures
of each, read from the same rollups in two GROUP BY queries a period — the cases' metrics and
the stations' work — so that the comparison costs four queries whatever the data."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from . import work
from .counted import STEPS
from .figures import Rate, previous_period

HEADLINE = [
    ("received", _("Messages received")),
    ("accepted", _("Accepted")),
    ("answered", _("Answered")),
    ("resolved", _("Resolved (closed)")),
    ("visitors", _("Visitors received (people)")),
    ("activities", _("Activities held")),
]
RATES = [
    ("satisfaction", _("Satisfied or basically satisfied / rated")),
    ("on_time", _("Steps on time / due")),
]
CASE_METRICS = ["received", "accepted", "answered", "resolved", "rated", "satisfied"] + [
    f"{kind}.{step}" for step in STEPS for kind in ("due", "ontime")
]


@dataclass
class Headline:
    start: date
    end: date
    counts: dict[str, int]
    rates: dict[str, Rate]


def headline(case_rows: QuerySet, work_rows: QuerySet, start: date, end: date) -> Headline:
    """The headline figures of one period (`case_rows`, `work_rows`: scoped and narrowed)."""
    totals = dict(
        case_rows.filter(day__gte=start, day__lte=end, metric__in=CASE_METRICS)
        .values_list("metric")
        .annotate(n=Sum("count"))
        .order_by()
    )
    done = dict(
        work_rows.filter(
            day__gte=start,
            day__lte=end,
            deputy_id=0,
            metric__in=[work.VISITORS, work.ACTIVITIES],
        )
        .values_list("metric")
        .annotate(n=Sum("count"))
        .order_by()
    )
    counts = {name: totals.get(name, 0) for name, _label in HEADLINE if name in CASE_METRICS}
    counts["visitors"] = done.get(work.VISITORS, 0)
    counts["activities"] = done.get(work.ACTIVITIES, 0)
    due = sum(totals.get(f"due.{step}", 0) for step in STEPS)
    on_time = sum(totals.get(f"ontime.{step}", 0) for step in STEPS)
    rates = {
        "satisfaction": Rate(totals.get("satisfied", 0), totals.get("rated", 0)),
        "on_time": Rate(on_time, due),
    }
    return Headline(start, end, counts, rates)


def shortcut(kind: str, start: date, end: date) -> tuple[date, date]:
    """ "previous": the period of the same length just before; "last_year": the same days a
    year earlier (29 February becomes the 28th)."""
    if kind == "previous":
        return previous_period(start, end)
    return _year_before(start), _year_before(end)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass
class Row:
    name: str
    label: str
    now: object  # int or Rate
    before: object

    @property
    def is_rate(self) -> bool:
        return isinstance(self.now, Rate)

    @property
    def change(self) -> str:
        """The difference: a count's signed difference, a rate's in percentage points."""
        if self.is_rate:
            if self.now.value is None or self.before.value is None:
                return "—"
            points = (self.now.value - self.before.value) * 100
            return f"{points:+.1f}".replace("-", "−")
        diff = self.now - self.before
        return f"+{diff}" if diff > 0 else ("0" if diff == 0 else f"−{-diff}")


@dataclass
class Comparison:
    now: Headline
    before: Headline
    rows: list[Row]


def compare(case_rows: QuerySet, work_rows: QuerySet, period, other) -> Comparison:
    now = headline(case_rows, work_rows, *period)
    before = headline(case_rows, work_rows, *other)
    rows = [Row(name, label, now.counts[name], before.counts[name]) for name, label in HEADLINE]
    rows += [Row(name, label, now.rates[name], before.rates[name]) for name, label in RATES]
    return Comparison(now, before, rows)
