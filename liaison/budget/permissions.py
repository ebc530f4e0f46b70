"""The permission table's rows for budget supervision (liaison/core/permissions.py).

The budget affairs office (预算工委) is the committee staff of the budget's region: it imports the
budget, publishes it and replies to questions. Deputies see the published budgets of their own
region and of the regions above it, and ask questions on them."""

from django.db.models import Q

from liaison.accounts.rules import Role, region_covers
from liaison.core.permissions import NOTHING, register
from liaison.directory.models import path_prefixes

from .models import Budget, BudgetQuestion

COMMITTEE, DEPUTY = Role.COMMITTEE_STAFF, Role.DEPUTY


def deputy_region(prefix: str = ""):
    def scope(user):
        deputy = user.deputy
        if deputy is None:
            return NOTHING
        return Q(
            **{
                f"{prefix}region_path__in": path_prefixes(deputy.region.path),
                f"{prefix}published": True,
            }
        )

    return scope


register(
    "budget.view",
    Budget,
    {COMMITTEE: region_covers("region_path"), DEPUTY: deputy_region()},
    doc="Browse a budget and its execution: the committee staff of its region; deputies of the "
    "region or below once it is published (everybody when it is also marked public).",
)
register(
    "budget.change",
    Budget,
    {COMMITTEE: region_covers("region_path")},
    doc="Create a budget, import its lines and execution, publish it, mark it public: the "
    "committee staff of the budget's region (the budget affairs office).",
)
register(
    "budget.ask",
    Budget,
    {DEPUTY: deputy_region()},
    doc="Ask a question or give an opinion on a department or line of a published budget: the "
    "deputies of its region or below.",
)
register(
    "budgetquestion.view",
    BudgetQuestion,
    {
        COMMITTEE: region_covers("budget__region_path"),
        DEPUTY: lambda user: Q(asked_by=user.pk),
    },
    doc="Read a budget question and its reply: the deputy who asked and the committee staff of "
    "the budget's region.",
)
register(
    "budgetquestion.reply",
    BudgetQuestion,
    {COMMITTEE: region_covers("budget__region_path")},
    doc="Reply to a deputy's budget question: the committee staff of the budget's region.",
)
