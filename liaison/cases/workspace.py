"""工作台 — what cases add to the staff workspace: the grid worker's two links (docs/grid.md).
The other roles find cases in the top navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.accounts.workspace import WorkItem
from liaison.core import registry
from liaison.core.permissions import restrict

from .models import Case


@registry.workspace.register
def items(user, today, now) -> list[WorkItem]:
    if user.is_administrator or user.role != Role.GRID_WORKER:
        return []
    open_cases = restrict(Case.objects.open(), user).count()
    return [
        WorkItem(
            "work-grid-case-new", _("File a case for a resident"), reverse("staff:case-new-grid")
        ),
        WorkItem(
            "work-grid-cases",
            _("Open cases from my grid cell"),
            reverse("staff:case-queue"),
            open_cases,
        ),
    ]
