"""工作台 — what budget supervision adds to the staff workspace: the deputies' questions and
opinions awaiting the office's reply (committee staff of the budget's region)."""

from django.utils.translation import gettext_lazy as _

from liaison.accounts.workspace import WorkItem, flag, url
from liaison.core import registry
from liaison.core.permissions import may_at_all, restrict

from .models import BudgetQuestion


@registry.workspace.register
def items(user, today, now) -> list[WorkItem]:
    if not may_at_all(user, "budgetquestion.reply") or user.is_administrator:
        return []
    waiting = restrict(BudgetQuestion.objects.filter(reply=""), user, "reply").count()
    if not waiting:
        return []  # nothing to answer: no entry (the budgets are under 预算监督 in the menu)
    return [
        WorkItem(
            "work-budget",
            _("Budget questions awaiting a reply"),
            url("budget:list"),
            waiting,
            flag=flag(waiting),
        )
    ]
