"""工作台 — what deputies' performance records add to the staff workspace."""

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.accounts.workspace import WorkItem, flag, url
from liaison.core import registry

from . import three
from .models import EntryStatus
from .selectors import visible_deputies, visible_entries


@registry.workspace.register
def items(user, today, now) -> list[WorkItem]:
    if user.is_administrator:
        return [
            _entries_pending(user),
            WorkItem("work-records", _("Deputies' records"), reverse("records:overview")),
        ]
    if user.role == Role.STATION_STAFF:
        return [_entries_pending(user), _deputies_behind(user, today)]
    if user.role == Role.COMMITTEE_STAFF:
        return [_deputies_behind(user, today), _entries_pending(user)]
    if user.role == Role.DEPUTY:
        return [
            _my_record(user, today),
            WorkItem("work-entry-new", _("Add to my record"), reverse("records:entry-new")),
        ]
    return []


def _entries_pending(user) -> WorkItem:
    pending = visible_entries(user).filter(status=EntryStatus.PENDING).count()
    return WorkItem(
        "work-entries-pending",
        _("Record entries awaiting confirmation"),
        reverse("records:entry-list"),
        pending,
        flag(pending),
    )


# A committee's count reads 三个一 for every deputy below it (1.3 s for a county at scale, see
# bench/records_scale.py), so it is kept per account and day for 15 minutes; a station's few
# deputies are counted live. docs/staff-guide.md says the number may lag by that much.
BEHIND_CACHE_SECONDS = 15 * 60


def _count_behind(user, today) -> int:
    ids = list(visible_deputies(user).filter(is_active=True).values_list("pk", flat=True))
    found = three.progress_for(ids, today.year, on=today)
    return sum(progress.behind for progress in found.values())


def _deputies_behind(user, today) -> WorkItem:
    """履职档案 overview: how many of the account's active deputies are behind on 三个一."""
    if user.role == Role.COMMITTEE_STAFF:
        key = f"workspace:deputies-behind:{user.pk}:{today.isoformat()}"
        behind = cache.get_or_set(key, lambda: _count_behind(user, today), BEHIND_CACHE_SECONDS)
    else:
        behind = _count_behind(user, today)
    return WorkItem(
        "work-deputies-behind",
        _("Deputies behind on 三个一"),
        url("records:overview", behind="on"),
        behind,
        flag(behind),
    )


MONTH_STATES = {
    "done": _("done this month"),
    "open": _("not yet this month"),
    "late": _("not yet this month — time to contact voters"),
}


def _my_record(user, today) -> WorkItem:
    """A deputy's own record, with this month's 三个一 contact state (five queries)."""
    progress = three.progress_for([user.deputy_id], today.year, on=today)[user.deputy_id]
    state = progress.month_state(today.month)
    return WorkItem(
        "work-my-record",
        _("My performance record"),
        reverse("records:me"),
        flag=flag(state == three.LATE),
        meta=str(MONTH_STATES.get(state, "")),
    )
