"""工作台 — what livelihood projects add to the staff workspace: the votes a deputy still has to
cast, and the projects list for the committee and the departments."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.accounts.workspace import WorkItem, flag
from liaison.core import registry
from liaison.core.permissions import restrict

from .models import Project, Status


@registry.workspace.register
def items(user, today, now) -> list[WorkItem]:
    if user.role == Role.DEPUTY and not user.is_administrator:
        waiting = (
            restrict(Project.objects.filter(status=Status.VOTING), user, "project.vote")
            .exclude(votes__deputy_id=user.deputy_id)
            .count()
        )
        return [
            WorkItem(
                "work-project-votes",
                _("Livelihood projects to vote on"),
                reverse("projects:list"),
                waiting,
                flag(waiting),
            )
        ]
    if user.is_administrator or user.role in (Role.COMMITTEE_STAFF, Role.DEPARTMENT_HANDLER):
        return [WorkItem("work-projects", _("Livelihood projects"), reverse("projects:list"))]
    return []
