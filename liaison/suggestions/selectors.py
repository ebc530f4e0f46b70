"""Reads of suggestions: the scoped querysets and the three lists (建议清单、交办清单、效果清单),
each with its filters, search, sorting and the rows of its .xlsx export."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.core.events import signed_in
from liaison.core.permissions import TABLE, restrict

from .models import ACTIVE_STATES, PublicRating, Suggestion, SuggestionAssignment, SuggestionLink
from .workflow import Status

PAGE_SIZE = 25


def _narrowed(qs: QuerySet, user, action: str, roles) -> QuerySet:
    """restrict()'s own rule for `user`, repeated on the outer rows (the same rows, so nothing
    more or less is seen): PostgreSQL then reads them from the index of the rule's column (the
    region path, the unit) instead of joining restrict()'s semi-join against the whole table
    (bench/suggestions_scale.py). Only for `roles` whose rule is a plain filter on an indexed
    column: the station's and the deputy's rules cross many-to-many joins that would repeat
    rows, and a unit's suggestions gained nothing from it (measured)."""
    if signed_in(user) and not user.is_administrator and user.role in roles:
        return qs.filter(TABLE[action].condition(user))
    return qs


def visible_suggestions(user) -> QuerySet:
    qs = restrict(Suggestion.objects.all(), user)
    return _narrowed(qs, user, "suggestion.view", {Role.COMMITTEE_STAFF})


def visible_assignments(user) -> QuerySet:
    qs = restrict(SuggestionAssignment.objects.all(), user)
    # Measured: a unit's 交办清单 466 → 125 ms; a county's first page 128 → 44 ms, a city's
    # 373 → 140 ms.
    roles = {Role.COMMITTEE_STAFF, Role.DEPARTMENT_HANDLER}
    return _narrowed(qs, user, "suggestionassignment.view", roles)


def public_suggestions() -> QuerySet:
    """Answered ones only (never drafts or unregistered ones), with their public counts."""
    return (
        Suggestion.objects.filter(answered_at__isnull=False, number__isnull=False)
        .exclude(status=Status.WITHDRAWN)
        .select_related("lead_deputy", "category")
    )


def public_counts(suggestion: Suggestion) -> dict[str, int]:
    rows = PublicRating.objects.filter(suggestion=suggestion).values("rating")
    counts = dict(rows.annotate(n=Count("id")).values_list("rating", "n"))
    return counts


@dataclass
class ListQuery:
    """The filters of one list; blank means "any". Forms fill it (forms.py)."""

    q: str = ""
    sort: str = ""
    filters: dict = field(default_factory=dict)


def search(qs: QuerySet, q: str, prefix: str = "") -> QuerySet:
    if not q:
        return qs
    return qs.filter(
        Q(**{f"{prefix}number__icontains": q})
        | Q(**{f"{prefix}title__icontains": q})
        | Q(**{f"{prefix}lead_deputy__name__icontains": q})
    )


SUGGESTION_SORTS = {
    "newest": (_("Newest first"), ["-created_at", "-id"]),
    "number": (_("Number"), ["number", "id"]),
    "title": (_("Title"), ["title", "id"]),
    "status": (_("Status"), ["status", "-created_at"]),
}


def suggestion_list(user, query: ListQuery) -> QuerySet:
    """建议清单."""
    qs = search(visible_suggestions(user), query.q)
    f = query.filters
    for name in ("status", "category", "session_kind", "year", "lead_deputy"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("from_station") in ("yes", "no"):
        qs = qs.filter(from_station_work=f["from_station"] == "yes")
    if f.get("key"):
        qs = qs.filter(is_key=True)
    zone = timezone.get_current_timezone()
    if f.get("submitted_from"):
        since = datetime.combine(f["submitted_from"], time.min, tzinfo=zone)
        qs = qs.filter(submitted_at__gte=since)
    if f.get("submitted_to"):
        until = datetime.combine(f["submitted_to"] + timedelta(days=1), time.min, tzinfo=zone)
        qs = qs.filter(submitted_at__lt=until)
    if f.get("region"):
        qs = qs.filter(region_path__startswith=f["region"].path)
    if f.get("station"):
        qs = qs.filter(station=f["station"])
    order = SUGGESTION_SORTS.get(query.sort, SUGGESTION_SORTS["newest"])[1]
    return (
        qs.select_related("lead_deputy", "category")
        .annotate(cosigner_count=Count("cosigners", distinct=True))
        .order_by("-is_key", *order)
    )


def station_share(qs: QuerySet) -> tuple[int, int]:
    """(from station work, registered) among the suggestions of the list — 来自联络站的建议占比."""
    registered = qs.order_by().filter(number__isnull=False)
    counts = registered.aggregate(
        total=Count("pk"), station=Count("pk", filter=Q(from_station_work=True))
    )
    return counts["station"] or 0, counts["total"] or 0


ASSIGNMENT_SORTS = {
    "due": (_("Due date"), ["due_at", "id"]),
    "assigned": (_("Assigned, newest first"), ["-assigned_at", "-id"]),
    "unit": (_("Unit"), ["department__name", "due_at"]),
}


def overdue_condition(now: datetime) -> Q:
    return Q(state__in=ACTIVE_STATES, suggestion__status=Status.ASSIGNED, due_at__lt=now)


def assignment_list(user, query: ListQuery, now: datetime | None = None) -> QuerySet:
    """交办清单."""
    now = now or timezone.now()
    qs = search(visible_assignments(user), query.q, "suggestion__")
    f = query.filters
    for name in ("department", "role", "state"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("year"):
        qs = qs.filter(suggestion__year=f["year"])
    if f.get("overdue"):
        qs = qs.filter(overdue_condition(now))
    if f.get("key"):
        qs = qs.filter(suggestion__is_key=True)
    order = ASSIGNMENT_SORTS.get(query.sort, ASSIGNMENT_SORTS["due"])[1]
    return qs.select_related("suggestion", "suggestion__lead_deputy", "department").order_by(
        "-suggestion__is_key", *order
    )


def is_overdue(assignment: SuggestionAssignment, now: datetime) -> bool:
    return (
        assignment.state in ACTIVE_STATES
        and assignment.suggestion.status == Status.ASSIGNED
        and assignment.due_at < now
    )


OUTCOME_SORTS = {
    "answered": (_("Answered, newest first"), ["-answered_at", "-id"]),
    "grade": (_("Grade"), ["grade", "-answered_at"]),
    "number": (_("Number"), ["number", "id"]),
}


def outcome_list(user, query: ListQuery) -> QuerySet:
    """效果清单: answered suggestions, their grade, evaluation and what was achieved."""
    qs = search(visible_suggestions(user).filter(answered_at__isnull=False), query.q)
    f = query.filters
    for name in ("grade", "evaluation", "category", "year"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    order = OUTCOME_SORTS.get(query.sort, OUTCOME_SORTS["answered"])[1]
    return qs.select_related("lead_deputy", "category").order_by(*order)


def related_suggestions(suggestion: Suggestion, user) -> list[Suggestion]:
    """关联建议: the suggestions linked to this one that `user` may see (services/related.py)."""
    linked = Q(pk__in=SuggestionLink.objects.filter(first=suggestion).values("second_id")) | Q(
        pk__in=SuggestionLink.objects.filter(second=suggestion).values("first_id")
    )
    return list(
        visible_suggestions(user)
        .filter(linked)
        .select_related("lead_deputy")
        .order_by("-submitted_at", "-pk")
    )
