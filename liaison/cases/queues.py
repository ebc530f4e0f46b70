"""Staff queues (工作队列): which cases a staff list shows, how they are filtered, counted and
flagged. Every list starts from `scoped_cases(user)` — `restrict()` (docs/design.md, rule 4)
over the verified cases.

Indexes these queries lean on (liaison/cases/models.py): (station, status, -created_at) for
station staff, (deputy, status, -created_at) for deputies, region_path (a prefix match) for
committee staff, Assignment (department, state, report_due_at) for departments, and
(status, due_at) for "due soon" and "overdue".
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.core import counting
from liaison.core.permissions import restrict
from liaison.directory.models import Category, Department, Deputy, Region, Station
from liaison.workdays.deadlines import add_working_days, local_zone

from .models import ACTIVE_ASSIGNMENT_STATES, Assignment, Case, CaseEvent
from .workflow import FINAL, Status

PAGE_SIZE = 25


def scoped_cases(user) -> QuerySet:
    """Every case `user` may see on the staff pages. An online message counts only once the
    citizen's phone is verified; before that it is a draft (`CaseQuerySet.verified`)."""
    return restrict(Case.objects.verified(), user)


def _open() -> Q:
    return ~Q(status__in=FINAL)


def _mine(user) -> Q:
    """ "My cases": the open cases of the account's own scope. For a department that is the cases
    it holds an open assignment for (restrict() also keeps the ones it returned, as history)."""
    if user.role == Role.DEPARTMENT_HANDLER:
        return _open() & Q(
            pk__in=Assignment.objects.filter(
                department_id=user.department_id, state__in=ACTIVE_ASSIGNMENT_STATES
            ).values("case_id")
        )
    return _open()


def _awaiting(user) -> Q:
    """The statuses in which the account's role has the next move."""
    review = Q(status=Status.SUBMITTED)
    deputy = Q(status__in=[Status.ACCEPTED, Status.FEEDBACK])
    # The committee decides assignments and extension requests.
    committee = Q(status=Status.TO_ASSIGN) | Q(
        status__in=[Status.ASSIGNED, Status.IN_PROGRESS],
        pk__in=Assignment.objects.filter(
            state__in=ACTIVE_ASSIGNMENT_STATES, extension_requested_days__isnull=False
        ).values("case_id"),
    )
    if user.role == Role.STATION_STAFF:
        # Station staff review, and enter the deputy's reply or answer when dictated by phone.
        return review | (deputy & Q(deputy__isnull=False))
    if user.role == Role.DEPUTY:
        return deputy
    if user.role == Role.COMMITTEE_STAFF:
        return committee
    if user.role == Role.DEPARTMENT_HANDLER:
        return Q(
            status__in=[Status.ASSIGNED, Status.IN_PROGRESS],
            pk__in=Assignment.objects.filter(
                department_id=user.department_id, state__in=ACTIVE_ASSIGNMENT_STATES
            ).values("case_id"),
        )
    return review | committee


def soon_cutoff(now: datetime) -> datetime:
    """Yellow flag: due by the end of the next working day."""
    return add_working_days(now, 1).due_at


TABS = [
    ("mine", _("My cases")),
    ("action", _("Awaiting my action")),
    ("soon", _("Due soon")),
    ("overdue", _("Overdue")),
    ("all", _("All, including closed")),
]
TAB_KEYS = [key for key, _label in TABS]


def tab_filters(user, now: datetime, cutoff: datetime) -> dict[str, Q]:
    return {
        "mine": _mine(user),
        "action": _awaiting(user) & _mine(user),
        "soon": _mine(user) & Q(due_at__gte=now, due_at__lte=cutoff),
        "overdue": _mine(user) & Q(due_at__lt=now),
        "all": Q(),
    }


def tab_counts(user, now: datetime | None = None, cutoff: datetime | None = None) -> dict[str, int]:
    """Every tab's count in one query (workspace and queue headers), each capped at COUNT_CAP
    (liaison/core/counting.py): one scalar subquery per tab that stops after COUNT_CAP + 1 rows,
    never an exact COUNT(*) over a county's hundreds of thousands of cases (issue 17). Show them
    with `counting.capped_label` ("10000+")."""
    now = now or timezone.now()
    filters = tab_filters(user, now, cutoff or soon_cutoff(now))
    scoped = scoped_cases(user)
    return counting.capped_counts({key: scoped.filter(cond) for key, cond in filters.items()})


SORT_CHOICES = [
    ("due", _("Due date")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("supporters", _("Most supporters first")),
]


def _ordering(sort: str) -> list:
    if sort == "oldest":
        return ["created_at", "id"]
    if sort == "newest":
        return ["-created_at", "-id"]
    if sort == "supporters":  # 附议: the matters most citizens share first
        return ["-supporters", F("due_at").asc(nulls_last=True), "-created_at", "-id"]
    # Cases without a running clock (paused, awaiting assignment, closed) come last.
    return [F("due_at").asc(nulls_last=True), "-created_at", "-id"]


@dataclass
class Query:
    """What a queue, the staff API's list and the export filter by (built and validated by
    liaison/cases/filters.py, which checks every row named here is in the viewer's scope)."""

    tab: str = "mine"
    status: str = ""
    category: Category | None = None
    deputy: Deputy | None = None
    station: Station | None = None
    department: Department | None = None
    channel: str = ""
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool = False
    state: str = ""  # "open", "final" or "" (filters.STATES)
    region: Region | None = None
    event: str = ""  # the date range is of this event (filters.EVENTS), not of the creation
    q: str = ""
    sort: str = "due"


def local_midnight(day: date) -> datetime:
    """The start of a day in Asia/Shanghai: a range on `created_at` itself (not on its date, which
    no index holds)."""
    return datetime.combine(day, time.min, tzinfo=local_zone())


# The events each statistics count is made of (liaison/stats/rollup.py): the list behind a count
# is the cases with such an event in the period.
EVENT_VERBS = {
    "received": Q(verb="case.submitted"),
    "accepted": Q(verb="case.accepted"),
    "rejected": Q(verb="case.rejected"),
    "referred": Q(verb="case.referred"),
    "merged": Q(verb="case.merged"),
    "withdrawn": Q(verb="case.withdrawn"),
    "replied": Q(verb="case.replied"),
    "assigned": Q(verb="case.assigned"),
    "answered": Q(verb="case.answered") | Q(verb="case.replied", data__settled=True),
    "rated": Q(verb__in=["case.rated", "case.rehandle_requested"]),
    "resolved": Q(verb__in=["case.rated", "case.auto_closed"]),
}


def _with_event(query: Query) -> QuerySet:
    """The events of `query.event` in its date range (the (verb, created_at) index)."""
    events = CaseEvent.objects.filter(EVENT_VERBS[query.event])
    if query.received_from is not None:
        events = events.filter(created_at__gte=local_midnight(query.received_from))
    if query.received_to is not None:
        events = events.filter(created_at__lt=local_midnight(query.received_to + timedelta(days=1)))
    return events


def queue(user, query: Query, now: datetime | None = None, cutoff: datetime | None = None):
    """The cases of one tab with the filters applied, in order, ready to paginate."""
    now = now or timezone.now()
    cutoff = cutoff or soon_cutoff(now)
    cases = scoped_cases(user).filter(tab_filters(user, now, cutoff)[query.tab])
    if query.status:
        cases = cases.filter(status=query.status)
    if query.channel:
        cases = cases.filter(channel=query.channel)
    if query.overdue:
        cases = cases.filter(_open() & Q(due_at__lt=now))
    if query.state == "open":
        cases = cases.filter(_open())
    elif query.state == "final":
        cases = cases.filter(status__in=FINAL)
    if query.region is not None:
        cases = cases.filter(region_path__startswith=query.region.path)
    if query.event:
        cases = cases.filter(pk__in=_with_event(query).values("case_id"))
    else:
        if query.received_from is not None:
            cases = cases.filter(created_at__gte=local_midnight(query.received_from))
        if query.received_to is not None:
            cases = cases.filter(
                created_at__lt=local_midnight(query.received_to + timedelta(days=1))
            )
    if query.department is not None:
        # Every case the department was ever assigned, returned ones included (the
        # (department, state, report_due_at) index of Assignment).
        cases = cases.filter(
            pk__in=Assignment.objects.filter(department=query.department).values("case_id")
        )
    if query.category is not None:
        cases = cases.filter(category=query.category)
    if query.deputy is not None:
        cases = cases.filter(deputy=query.deputy)
    if query.station is not None:
        cases = cases.filter(station=query.station)
    if query.q:
        # icontains works alike on SQLite and PostgreSQL (also for Chinese, which has no word
        # boundaries for a word index to use); the scope above narrows the rows first.
        text = query.q
        cases = cases.filter(
            Q(tracking_number=text) | Q(title__icontains=text) | Q(description__icontains=text)
        )
    return cases.select_related("station", "category", "deputy").order_by(*_ordering(query.sort))


def flag(case: Case, now: datetime, cutoff: datetime) -> str:
    """ "red" (overdue), "yellow" (due within 1 working day) or "" for an open case's step."""
    if case.is_final or case.due_at is None:
        return ""
    if case.due_at < now:
        return "red"
    if case.due_at <= cutoff:
        return "yellow"
    return ""
