"""工作台 — what the legislative contact point adds to the staff workspace: the drafts of the
account's scope open for comment, and the comments awaiting moderation on them. The committee
always has the entry (it is where a new draft starts); a station only while it has work there.
A deputy finds the work reports of their region open for pre-review (网上预审)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.accounts.workspace import WorkItem, flag, url
from liaison.core import registry
from liaison.core.permissions import may_at_all

from .selectors import deputy_reports, staff_drafts
from .workflow import CommentStatus, DraftStatus


@registry.workspace.register
def items(user, today, now) -> list[WorkItem]:
    if user.role == Role.DEPUTY and not user.is_administrator:
        return _deputy(user)
    if not may_at_all(user, "draft.view"):
        return []
    counts = staff_drafts(user).aggregate(
        open=Count("pk", filter=Q(status=DraftStatus.OPEN), distinct=True),
        pending=Count("comments", filter=Q(comments__status=CommentStatus.PENDING)),
    )
    if not counts["open"] and not counts["pending"] and not may_at_all(user, "draft.change"):
        return []  # a station that is no draft's contact point now: nothing to show
    return [
        WorkItem(
            "work-legislation",
            _("Draft regulations open for comment"),
            url("legislation:staff-list"),
            counts["open"],
            meta=str(_("%(count)d comments awaiting moderation")) % {"count": counts["pending"]}
            if counts["pending"]
            else "",
            flag=flag(counts["pending"]),
        )
    ]


def _deputy(user) -> list[WorkItem]:
    """The work reports open for the deputy's comments; nothing when there are none."""
    open_now = deputy_reports(user).filter(status=DraftStatus.OPEN).count()
    if not open_now:
        return []
    return [
        WorkItem(
            "work-legislation-reports",
            _("Work reports for pre-review"),
            url("legislation:reports"),
            open_now,
            flag=flag(open_now),
        )
    ]
