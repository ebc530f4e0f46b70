"""Reading budgets: the rows an account may see, and the sums by department and by function with
their execution rate and the deviation flag (docs/budget.md)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from liaison.core.permissions import restrict

from .models import Budget, BudgetLine, BudgetQuestion


def visible_budgets(user):
    """Public budgets for everybody, and those the permission table lets `user` see."""
    public = Budget.objects.filter(published=True, public=True)
    if not user.is_authenticated:
        return public
    seen = restrict(Budget.objects.all(), user, "view").values("pk")
    return Budget.objects.filter(Q(pk__in=seen) | Q(published=True, public=True))


def elapsed_share(budget: Budget, month: int | None = None, today: date | None = None) -> Decimal:
    """The share of the year gone (in %) at the end of the latest month reported."""
    if month:
        return Decimal(month * 100) / 12
    today = today or date.today()
    if today.year > budget.year:
        return Decimal(100)
    if today.year < budget.year:
        return Decimal(0)
    return Decimal((today.month - 1) * 100) / 12


@dataclass
class Row:
    key: str
    label: str
    budgeted: Decimal
    adjusted: Decimal
    executed: Decimal
    month: int
    department_id: int | None = None

    @property
    def rate(self) -> Decimal | None:
        if not self.adjusted:
            return None
        return (self.executed * 100 / self.adjusted).quantize(Decimal("0.1"))

    @property
    def bar(self) -> int:
        return min(int(self.rate or 0), 100)

    @property
    def expected(self) -> Decimal:
        return (Decimal(self.month * 100) / 12).quantize(Decimal("0.1"))

    @property
    def deviation(self) -> str:
        """ "over" past 100 %, "behind" more than LIAISON_BUDGET_DEVIATION points behind the
        elapsed share of the year, else ""."""
        rate = self.rate
        if rate is None:
            return ""
        if rate > 100:
            return "over"
        if self.month and self.expected - rate > settings.LIAISON_BUDGET_DEVIATION:
            return "behind"
        return ""


def _rows(lines, group: list[str], label, key) -> list[Row]:
    latest = max(lines.values_list("executed_month", flat=True), default=0)
    sums = (
        lines.values(*group)
        .annotate(b=Sum("budgeted"), a=Sum("adjusted"), e=Sum("executed"))
        .order_by(*group)
    )
    return [
        Row(
            key(s),
            label(s),
            s["b"] or Decimal(0),
            s["a"] or Decimal(0),
            s["e"] or Decimal(0),
            latest,
            s.get("department_id"),
        )
        for s in sums
    ]


def by_department(budget: Budget) -> list[Row]:
    return _rows(
        budget.lines.all(),
        ["department_id", "department__name"],
        lambda s: s["department__name"],
        lambda s: str(s["department_id"]),
    )


def by_function(budget: Budget) -> list[Row]:
    return _rows(
        budget.lines.all(),
        ["function_code", "function_name"],
        lambda s: f"{s['function_code']} {s['function_name']}",
        lambda s: s["function_code"],
    )


def by_economic(budget: Budget) -> list[Row]:
    """按经济分类: the sums by economic classification; empty when the imported table had none
    (lines without one are summed under an empty key, shown as "Not classified")."""
    lines = budget.lines.all()
    if not lines.exclude(economic_code="").exists():
        return []
    return _rows(
        lines,
        ["economic_code", "economic_name"],
        lambda s: f"{s['economic_code']} {s['economic_name']}".strip() or _("Not classified"),
        lambda s: s["economic_code"],
    )


def _line_label(line: BudgetLine) -> str:
    label = f"{line.function_code} {line.function_name}"
    if line.economic_code:
        label += f" · {line.economic_code} {line.economic_name}"
    return label


def line_rows(budget: Budget, department_id: int) -> list[tuple[BudgetLine, Row]]:
    lines = budget.lines.filter(department_id=department_id).select_related("department")
    return [
        (
            line,
            Row(
                line.function_code,
                _line_label(line),
                line.budgeted,
                line.adjusted,
                line.executed,
                line.executed_month,
            ),
        )
        for line in lines
    ]


def questions_for(user, budget: Budget):
    return restrict(BudgetQuestion.objects.filter(budget=budget), user, "view").select_related(
        "department", "line"
    )
