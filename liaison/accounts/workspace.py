"""工作台 — what each role finds on its workspace: one list of links to its work, each with a small
count, and the short top navigation of its main areas.

Every count starts from the apps' own selectors (restrict() underneath), so a badge never counts a
row its page would not show. Each area is one aggregate query (conditional COUNTs) over indexed
columns; the number of queries depends on the role, never on the amount of data (the 三个一 of
"deputies behind" is five queries for any number of deputies, see liaison/records/three.py).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from liaison.core import registry
from liaison.workdays.deadlines import local_day

from .models import Role


@dataclass
class WorkItem:
    key: str  # the element id on the page (tests and people linking to it)
    label: str
    url: str
    count: int | None = None  # None: a plain link, no badge
    flag: str = ""  # "yellow" / "red": the badge asks for attention
    meta: str = ""


def url(name: str, **query) -> str:
    """The URL of `name` with the non-empty `query` parameters (a filtered list)."""
    path = reverse(name)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{path}?{urlencode(query)}" if query else path


def flag(count: int, colour: str = "yellow") -> str:
    return colour if count else ""


def day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


# --- per role -------------------------------------------------------------------------------------

# The order of the items on each role's workspace: the most pressing first. Each app contributes
# its items through `registry.workspace` (its workspace.py); an item not named here comes last.
ORDER = {
    Role.ADMINISTRATOR: [
        "work-bookings-to-confirm",
        "work-bookings-today",
        "work-activities-upcoming",
        "work-activities-drafts",
        "work-entries-pending",
        "work-suggestions-to-check",
        "work-suggestions-to-assign",
        "work-change-requests",
        "work-assignments-overdue",
        "work-records",
    ],
    Role.STATION_STAFF: [
        "work-visit-new",
        "work-receptions-today",
        "work-bookings-to-confirm",
        "work-bookings-today",
        "work-attendance",
        "work-activities-upcoming",
        "work-activities-drafts",
        "work-entries-pending",
        "work-deputies-behind",
        "work-suggestion-drafts",
        "work-suggestions-returned",
    ],
    Role.COMMITTEE_STAFF: [
        "work-suggestions-to-check",
        "work-suggestions-to-assign",
        "work-change-requests",
        "work-assignments-overdue",
        "work-deputies-behind",
        "work-entries-pending",
        "work-bookings-to-confirm",
        "work-bookings-today",
        "work-activities-upcoming",
        "work-reception-days",
    ],
    Role.DEPUTY: [
        "work-my-duties",
        "work-my-record",
        "work-entry-new",
        "work-cosign",
        "work-my-suggestions-returned",
        "work-answers-to-evaluate",
        "work-my-activities",
    ],
    Role.DEPARTMENT_HANDLER: ["work-assignments-handling", "work-assignments-overdue"],
    Role.GRID_WORKER: ["work-grid-case-new", "work-grid-cases"],
}


def work_for(user) -> list[WorkItem]:
    """The workspace's "My work" list for this account (empty for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return []
    now = timezone.now()
    today = local_day(now)  # the day in Asia/Shanghai, as the stations count it
    found = [item for items in registry.workspace.functions() for item in items(user, today, now)]
    order = ORDER.get(Role.ADMINISTRATOR if user.is_administrator else user.role, [])
    rank = {key: number for number, key in enumerate(order)}
    return sorted(found, key=lambda item: rank.get(item.key, len(rank)))


# --- the top navigation ---------------------------------------------------------------------------


@dataclass
class NavLink:
    key: str
    label: str
    url: str
    current: bool = False


def nav_for(user, path: str = "") -> list[NavLink]:
    """The main areas of the account's role, at most six: the workspace lists the rest. The link
    of the area `path` lies in is marked current (aria-current)."""
    if not getattr(user, "is_authenticated", False):
        return []
    links = {
        "workspace": (_("Workspace"), "accounts:home"),
        "cases": (_("Cases"), "staff:case-queue"),
        "receptions": (_("Receptions"), "receptions:visit-list"),
        "activities": (_("Activities"), "activities:staff-list"),
        "records": (_("Deputies' records"), "records:overview"),
        "my-duties": (_("My reception duties"), "receptions:my-duties"),
        "my-record": (_("My performance record"), "records:me"),
        "suggestions": (_("Suggestions"), "suggestions:list"),
        "assignments": (_("Assignment list"), "suggestions:assignments"),
        "stats": (_("Statistics"), "stats:dashboard"),
    }
    if user.is_administrator or user.role == Role.STATION_STAFF:
        keys = ["workspace", "cases", "receptions", "activities", "suggestions", "stats"]
    elif user.role == Role.COMMITTEE_STAFF:
        keys = ["workspace", "cases", "suggestions", "records", "activities", "stats"]
    elif user.role == Role.DEPUTY:
        keys = ["workspace", "cases", "my-duties", "my-record", "suggestions", "stats"]
    elif user.role == Role.DEPARTMENT_HANDLER:
        keys = ["workspace", "cases", "assignments", "stats"]
    elif user.role == Role.GRID_WORKER or user.role == Role.GRID_WORKER:
        keys = ["workspace", "cases"]
    else:
        keys = ["workspace"]
    result = [NavLink(key, links[key][0], reverse(links[key][1])) for key in keys]
    # The longest matching prefix wins (/staff/suggestions/assignments/ is not "Suggestions").
    matching = [link for link in result if path.startswith(link.url)]
    if matching:
        max(matching, key=lambda link: len(link.url)).current = True
    return result
