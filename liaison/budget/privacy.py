"""The personal data of budget supervision (docs/privacy.md, liaison/core/privacy.py): none — a
budget line names a function classification, a question is tied to the deputy's account."""

from liaison.core import privacy

from .models import BudgetLine

privacy.not_personal(
    BudgetLine, "function_name", "a function classification (功能分类) of a budget"
)
privacy.not_personal(
    BudgetLine, "economic_name", "an economic classification (经济分类) of a budget"
)
