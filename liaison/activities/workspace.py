"""工作台 — what activities add to the staff workspace."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.accounts.workspace import WorkItem, day, url
from liaison.core import registry

from .models import ActivityStatus
from .selectors import upcoming_public, visible_activities


@registry.workspace.register
def items(user, today, now) -> list[WorkItem]:
    if user.is_administrator or user.role == Role.STATION_STAFF:
        return _activities(user)
    if user.role == Role.COMMITTEE_STAFF:
        return _activities(user)[:1]  # upcoming; drafts are the stations' business
    if user.role == Role.DEPUTY:
        return [_my_activities(user)]
    return []


def _activities(user) -> list[WorkItem]:
    """The scope's announced activities not over yet, and drafts (one query)."""
    counts = visible_activities(user).aggregate(
        upcoming=Count(
            "pk", filter=Q(status=ActivityStatus.ANNOUNCED, ends_at__gte=timezone.now())
        ),
        drafts=Count("pk", filter=Q(status=ActivityStatus.DRAFT)),
    )
    return [
        WorkItem(
            "work-activities-upcoming",
            _("Upcoming activities"),
            url("activities:staff-list", status=ActivityStatus.ANNOUNCED),
            counts["upcoming"],
        ),
        WorkItem(
            "work-activities-drafts",
            _("Activities not yet announced"),
            url("activities:staff-list", status=ActivityStatus.DRAFT),
            counts["drafts"],
        ),
    ]


def _my_activities(user) -> WorkItem:
    """Announced activities the deputy is invited to (public pages: deputies have no staff
    activity list); the badge links to the next one."""
    invited = upcoming_public().filter(deputies=user.deputy_id)
    first = list(invited[:1])
    url, meta = reverse("activities_public:public-list"), ""
    if first:
        activity = first[0]
        url = reverse("activities_public:public-detail", args=[activity.public_code])
        local = timezone.localtime(activity.starts_at)
        meta = str(_("next: %(day)s %(time)s, %(title)s")) % {
            "day": day(local.date()),
            "time": f"{local:%H:%M}",
            "title": activity.title,
        }
    count = invited.count() if first else 0
    return WorkItem("work-my-activities", _("Activities I am invited to"), url, count, meta=meta)
