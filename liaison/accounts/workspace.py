"""工作台 — what each role finds on its workspace: one list of links to its work, each with a small
count, and the short top navigation of its main areas.

Every count starts from the apps' own selectors (restrict() underneath), so a badge never counts a
row its page would not show. Each area is one aggregate query (conditional COUNTs) over indexed
columns; the number of queries depends on the role, never on the amount of data (the 三个一 of
"deputies behind" is five queries for any number of deputies, see liaison/records/three.py).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from liaison.activities.models import ActivityStatus
from liaison.activities.selectors import upcoming_public, visible_activities
from liaison.receptions.appointment_selectors import visible_appointments
from liaison.receptions.models import AppointmentStatus, Duty
from liaison.receptions.models import today as local_today
from liaison.receptions.schedule import upcoming_receptions
from liaison.records import three
from liaison.records.models import EntryStatus
from liaison.records.selectors import visible_deputies, visible_entries
from liaison.suggestions.models import ACTIVE_STATES, CoSigner, SuggestionAssignment
from liaison.suggestions.selectors import (
    overdue_condition,
    visible_assignments,
    visible_suggestions,
)
from liaison.suggestions.workflow import EDITABLE, Status

from .models import Role
from .scoping import restrict


@dataclass
class WorkItem:
    key: str  # the element id on the page (tests and people linking to it)
    label: str
    url: str
    count: int | None = None  # None: a plain link, no badge
    flag: str = ""  # "yellow" / "red": the badge asks for attention
    meta: str = ""


def _url(name: str, **query) -> str:
    url = reverse(name)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _flag(count: int, colour: str = "yellow") -> str:
    return colour if count else ""


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


# --- receptions -----------------------------------------------------------------------------------


def _bookings(user, today) -> list[WorkItem]:
    """线上预约 awaiting the station's confirmation, and today's bookings (one query)."""
    open_ = [AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED]
    counts = visible_appointments(user).aggregate(
        to_confirm=Count("pk", filter=Q(status=AppointmentStatus.BOOKED, date__gte=today)),
        today=Count("pk", filter=Q(status__in=open_, date=today)),
    )
    return [
        WorkItem(
            "work-bookings-to-confirm",
            _("Bookings awaiting confirmation"),
            _url("appointments:staff-list", status=AppointmentStatus.BOOKED),
            counts["to_confirm"],
            _flag(counts["to_confirm"]),
        ),
        WorkItem(
            "work-bookings-today",
            _("Today's bookings"),
            _url("appointments:staff-list", day=today.isoformat()),
            counts["today"],
        ),
    ]


def _station_receptions(user, today) -> list[WorkItem]:
    """Station staff: register a visit, today's receptions (from the rules, with the deputies on
    duty) and the duties whose attendance is still to be recorded."""
    receptions = upcoming_receptions(user.station_id, start=today, days=1)
    meta = " · ".join(
        f"{r.start_time:%H:%M} " + "、".join(d.name for d in r.deputies) for r in receptions
    )
    unrecorded = (
        restrict(Duty.objects.all(), user, "change")
        .filter(date__lt=today, attended__isnull=True)
        .count()
    )
    return [
        WorkItem("work-visit-new", _("Register a visit"), reverse("receptions:visit-new")),
        WorkItem(
            "work-receptions-today",
            _("Today's receptions"),
            reverse("receptions:reception-days"),
            len(receptions),
            meta=meta.strip(),
        ),
        *_bookings(user, today),
        WorkItem(
            "work-attendance",
            _("Attendance to record"),
            reverse("receptions:attendance"),
            unrecorded,
            _flag(unrecorded),
        ),
    ]


# --- activities -----------------------------------------------------------------------------------


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
            _url("activities:staff-list", status=ActivityStatus.ANNOUNCED),
            counts["upcoming"],
        ),
        WorkItem(
            "work-activities-drafts",
            _("Activities not yet announced"),
            _url("activities:staff-list", status=ActivityStatus.DRAFT),
            counts["drafts"],
        ),
    ]


# --- records --------------------------------------------------------------------------------------


def _entries_pending(user) -> WorkItem:
    pending = visible_entries(user).filter(status=EntryStatus.PENDING).count()
    return WorkItem(
        "work-entries-pending",
        _("Record entries awaiting confirmation"),
        reverse("records:entry-list"),
        pending,
        _flag(pending),
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
        _url("records:overview", behind="on"),
        behind,
        _flag(behind),
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
        flag=_flag(state == three.LATE),
        meta=str(MONTH_STATES.get(state, "")),
    )


# --- suggestions ----------------------------------------------------------------------------------


def _suggestion_counts(user, **conditions: Q) -> dict[str, int]:
    counts = visible_suggestions(user).aggregate(
        **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
    )
    return {key: value or 0 for key, value in counts.items()}


def _suggestion_item(key, label, count, status="", colour="yellow") -> WorkItem:
    return WorkItem(
        key, label, _url("suggestions:list", status=status), count, _flag(count, colour)
    )


def _station_suggestions(user) -> list[WorkItem]:
    counts = _suggestion_counts(
        user, drafts=Q(status=Status.DRAFT), returned=Q(status=Status.RETURNED)
    )
    return [
        _suggestion_item(
            "work-suggestion-drafts",
            _("Suggestion drafts"),
            counts["drafts"],
            Status.DRAFT,
            colour="",
        ),
        _suggestion_item(
            "work-suggestions-returned",
            _("Suggestions returned for changes"),
            counts["returned"],
            Status.RETURNED,
        ),
    ]


def _assignment_counts(user, now, **conditions: Q) -> dict[str, int]:
    counts = visible_assignments(user).aggregate(
        **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
    )
    return {key: value or 0 for key, value in counts.items()}


def _committee_suggestions(user, now) -> list[WorkItem]:
    counts = _suggestion_counts(
        user, to_check=Q(status=Status.SUBMITTED), to_assign=Q(status=Status.ACCEPTED)
    )
    handling = _assignment_counts(
        user,
        now,
        changes=Q(state=SuggestionAssignment.State.CHANGE_REQUESTED),
        overdue=overdue_condition(now),
    )
    return [
        _suggestion_item(
            "work-suggestions-to-check",
            _("Suggestions to check"),
            counts["to_check"],
            Status.SUBMITTED,
        ),
        _suggestion_item(
            "work-suggestions-to-assign",
            _("Suggestions to assign"),
            counts["to_assign"],
            Status.ACCEPTED,
        ),
        WorkItem(
            "work-change-requests",
            _("Requests to change an assignment"),
            _url("suggestions:assignments", state=SuggestionAssignment.State.CHANGE_REQUESTED),
            handling["changes"],
            _flag(handling["changes"]),
        ),
        WorkItem(
            "work-assignments-overdue",
            _("Overdue suggestion assignments"),
            _url("suggestions:assignments", overdue="on"),
            handling["overdue"],
            _flag(handling["overdue"], "red"),
        ),
    ]


def _deputy_suggestions(user) -> list[WorkItem]:
    unconfirmed = CoSigner.objects.filter(deputy_id=user.deputy_id, confirmed_at__isnull=True)
    counts = _suggestion_counts(
        user,
        cosign=Q(status__in=EDITABLE, pk__in=unconfirmed.values("suggestion_id")),
        returned=Q(status=Status.RETURNED, lead_deputy_id=user.deputy_id),
        evaluate=Q(status=Status.ANSWERED, lead_deputy_id=user.deputy_id),
    )
    return [
        _suggestion_item(
            "work-cosign", _("Suggestions awaiting my co-signature"), counts["cosign"]
        ),
        _suggestion_item(
            "work-my-suggestions-returned",
            _("My suggestions returned for changes"),
            counts["returned"],
            Status.RETURNED,
        ),
        _suggestion_item(
            "work-answers-to-evaluate",
            _("Answers awaiting my evaluation"),
            counts["evaluate"],
            Status.ANSWERED,
        ),
    ]


def _department_suggestions(user, now) -> list[WorkItem]:
    active = visible_assignments(user).filter(state__in=ACTIVE_STATES)
    counts = active.aggregate(
        handling=Count("pk", filter=Q(state=SuggestionAssignment.State.HANDLING)),
        overdue=Count("pk", filter=overdue_condition(now)),
        next_due=Min("due_at", filter=Q(due_at__gte=now)),
    )
    meta = ""
    if counts["next_due"]:
        meta = str(_("next due %(day)s")) % {"day": _day(timezone.localtime(counts["next_due"]))}
    return [
        WorkItem(
            "work-assignments-handling",
            _("Suggestion assignments to handle"),
            _url("suggestions:assignments", state=SuggestionAssignment.State.HANDLING),
            counts["handling"],
            meta=meta,
        ),
        WorkItem(
            "work-assignments-overdue",
            _("Overdue suggestion assignments"),
            _url("suggestions:assignments", overdue="on"),
            counts["overdue"],
            _flag(counts["overdue"], "red"),
        ),
    ]


# --- deputies -------------------------------------------------------------------------------------


def _my_duties(user, today) -> WorkItem:
    upcoming = (
        restrict(Duty.objects.all(), user)
        .filter(deputy_id=user.deputy_id, date__gte=today)
        .select_related("station")
        .order_by("date", "start_time")
    )
    first = list(upcoming[:1])
    meta = ""
    if first:
        duty = first[0]
        meta = str(_("next: %(day)s %(time)s, %(station)s")) % {
            "day": _day(duty.date),
            "time": f"{duty.start_time:%H:%M}",
            "station": duty.station.name,
        }
    count = upcoming.count() if first else 0
    return WorkItem(
        "work-my-duties",
        _("My reception duties"),
        reverse("receptions:my-duties"),
        count,
        meta=meta,
    )


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
            "day": _day(local.date()),
            "time": f"{local:%H:%M}",
            "title": activity.title,
        }
    count = invited.count() if first else 0
    return WorkItem("work-my-activities", _("Activities I am invited to"), url, count, meta=meta)


# --- per role -------------------------------------------------------------------------------------


def work_for(user) -> list[WorkItem]:
    """The workspace's "My work" list for this account (empty for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return []
    today, now = local_today(), timezone.now()
    if user.is_administrator:
        return [
            *_bookings(user, today),
            *_activities(user),
            _entries_pending(user),
            *_committee_suggestions(user, now),
            WorkItem("work-records", _("Deputies' records"), reverse("records:overview")),
        ]
    if user.role == Role.STATION_STAFF:
        return [
            *_station_receptions(user, today),
            *_activities(user),
            _entries_pending(user),
            _deputies_behind(user, today),
            *_station_suggestions(user),
        ]
    if user.role == Role.COMMITTEE_STAFF:
        return [
            *_committee_suggestions(user, now),
            _deputies_behind(user, today),
            _entries_pending(user),
            *_bookings(user, today),
            _activities(user)[0],
            WorkItem(
                "work-reception-days", _("Reception days"), reverse("receptions:reception-days")
            ),
        ]
    if user.role == Role.DEPUTY:
        return [
            _my_duties(user, today),
            _my_record(user, today),
            WorkItem("work-entry-new", _("Add to my record"), reverse("records:entry-new")),
            *_deputy_suggestions(user),
            _my_activities(user),
        ]
    if user.role == Role.DEPARTMENT_HANDLER:
        return _department_suggestions(user, now)
    return []


# --- the top navigation ---------------------------------------------------------------------------


@dataclass
class NavLink:
    key: str
    label: str
    url: str
    current: bool = False


def nav_for(user, path: str = "") -> list[NavLink]:
    """The main areas of the account's role, at most five: the workspace lists the rest. The link
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
    }
    if user.is_administrator or user.role == Role.STATION_STAFF:
        keys = ["workspace", "cases", "receptions", "activities", "suggestions"]
    elif user.role == Role.COMMITTEE_STAFF:
        keys = ["workspace", "cases", "suggestions", "records", "activities"]
    elif user.role == Role.DEPUTY:
        keys = ["workspace", "cases", "my-duties", "my-record", "suggestions"]
    elif user.role == Role.DEPARTMENT_HANDLER:
        keys = ["workspace", "cases", "assignments"]
    else:
        keys = ["workspace"]
    result = [NavLink(key, links[key][0], reverse(links[key][1])) for key in keys]
    # The longest matching prefix wins (/staff/suggestions/assignments/ is not "Suggestions").
    matching = [link for link in result if path.startswith(link.url)]
    if matching:
        max(matching, key=lambda link: len(link.url)).current = True
    return result
