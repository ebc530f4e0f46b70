"""The budget's exports (core/exports.py, docs/exports.md): its lines with the execution and the
deviation, and the deputies' questions with the replies, of one budget (`?budget=<id>`) the asker
may see. No personal data: departments, classifications, amounts; a question names its deputy
(a public person) and the text they wrote for the budget affairs office."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core import exports
from liaison.core.permissions import restrict

from . import selectors
from .models import Budget, BudgetQuestion

C = exports.Column


def _budget(user, params) -> Budget:
    """The budget named by `budget=`: one the asker may browse (budget.view), else refused."""
    raw = params.get("budget", "")
    budget = None
    if raw.isdigit():
        budget = restrict(Budget.objects.all(), user, "view").filter(pk=int(raw)).first()
    if budget is None:
        raise exports.Refused({"budget": [gettext("No budget with this number that you may see.")]})
    return budget


def _row(line) -> selectors.Row:
    return selectors.Row(
        line.function_code,
        "",
        line.budgeted,
        line.adjusted,
        line.executed,
        line.executed_month,
    )


def _deviation(line) -> str:
    row = _row(line)
    if row.deviation == "over":
        return gettext("Over the budget")
    if row.deviation == "behind":
        return gettext("Behind schedule (expected %(expected)s%%)") % {"expected": row.expected}
    return ""


@exports.register("budget-lines", filename="budget-lines", permission="budget.view")
def lines(user, params) -> exports.Prepared:
    budget = _budget(user, params)
    rows = budget.lines.select_related("department").order_by(
        "department__name", "function_code", "economic_code", "pk"
    )
    columns = [
        C(_("Department"), lambda line: line.department.name),
        C(_("Function classification code"), lambda line: line.function_code),
        C(_("Function classification name"), lambda line: line.function_name),
        C(_("Economic classification code"), lambda line: line.economic_code),
        C(_("Economic classification name"), lambda line: line.economic_name),
        C(_("Initial budget (10k yuan)"), lambda line: line.budgeted),
        C(_("Adjusted budget (10k yuan)"), lambda line: line.adjusted),
        C(_("Executed (10k yuan)"), lambda line: line.executed),
        C(_("Executed up to month"), lambda line: line.executed_month or ""),
        C(_("Execution rate (%)"), lambda line: _row(line).rate),
        C(_("Deviation"), _deviation),
    ]
    return exports.Prepared(rows, columns, {"budget": str(budget.pk)})


@exports.register("budget-questions", filename="budget-questions", permission="budgetquestion.view")
def questions(user, params) -> exports.Prepared:
    budget = _budget(user, params)
    rows = (
        selectors.questions_for(user, budget)
        .select_related("asked_by__deputy", "replied_by")
        .order_by("created_at", "pk")
    )
    kind = exports.label(BudgetQuestion, "kind")
    columns = [
        C(_("Asked at"), lambda q: q.created_at),
        C(_("Kind"), kind),
        C(_("Department"), lambda q: q.department.name),
        C(
            _("Budget line"),
            lambda q: f"{q.line.function_code} {q.line.function_name}" if q.line else "",
        ),
        C(_("Deputy"), _asker),
        C(_("Question or opinion"), lambda q: q.text),
        C(_("Reply"), lambda q: q.reply),
        C(_("Replied at"), lambda q: q.replied_at),
    ]
    return exports.Prepared(rows, columns, {"budget": str(budget.pk)})


def _asker(question) -> str:
    deputy = getattr(question.asked_by, "deputy", None)
    return deputy.name if deputy is not None else question.asked_by.get_full_name()
