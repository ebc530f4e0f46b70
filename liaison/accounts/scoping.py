"""Who sees what — the one place that decides (DESIGN.md rule 4).

`restrict(queryset, user, action)` narrows any scoped queryset to what the account may see
("view") or change ("change"). Web views, the admin and the API all start from it. Rules are
written per model as functions returning a Q object; a model with no rule is visible to
administrators only, so forgetting a rule hides data instead of leaking it.
"""

from collections.abc import Callable

from django.db import models
from django.db.models import Q

from liaison.cases.models import Assignment, Case
from liaison.directory.models import Category, Department, Deputy, Region, Station
from liaison.receptions.models import Appointment, Duty, ReceptionRule, Visit
from liaison.records.models import RecordEntry
from liaison.suggestions.models import Suggestion, SuggestionAssignment

from .models import Role, User

NOTHING = Q(pk__in=[])
EVERYTHING = Q()

Rule = Callable[[User, str], Q]
_rules: dict[type[models.Model], Rule] = {}


def rule(model: type[models.Model]) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        # A second rule for the same model would silently replace the first: refuse at import.
        existing = _rules.get(model)
        if existing is not None and existing is not func:
            raise ValueError(f"A scope rule for {model.__name__} is already registered.")
        _rules[model] = func
        return func

    return register


def restrict(queryset: models.QuerySet, user, action: str = "view") -> models.QuerySet:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_administrator:
        return queryset
    rule_for_model = _rules.get(queryset.model)
    if rule_for_model is None:
        return queryset.none()
    condition = rule_for_model(user, action)
    if condition is NOTHING:
        return queryset.none()
    if condition is EVERYTHING:
        return queryset
    # A semi-join, so that conditions across many-to-many relations never repeat rows.
    allowed = queryset.model._default_manager.filter(condition).values("pk")
    return queryset.filter(pk__in=allowed)


def can(user, action: str, obj: models.Model) -> bool:
    """Whether the account may `action` this object (one indexed query)."""
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def signed_in(user) -> bool:
    """An active, logged-in account (services also get None or AnonymousUser as the actor)."""
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def speaks_for(user, deputy: Deputy) -> bool:
    """Who writes in a deputy's name (their record entries, their suggestions): the deputy's own
    account, station staff of a station the deputy sits in, and administrators."""
    if not signed_in(user):
        return False
    if user.is_administrator:
        return True
    if user.role == Role.DEPUTY:
        return user.deputy_id == deputy.pk
    if user.role == Role.STATION_STAFF:
        return deputy.stations.filter(pk=user.station_id).exists()
    return False


@rule(Region)
def _region(user: User, action: str) -> Q:
    if action == "view" and user.role == Role.COMMITTEE_STAFF:
        return Q(path__startswith=user.region.path)
    return NOTHING


@rule(Station)
def _station(user: User, action: str) -> Q:
    if user.role == Role.COMMITTEE_STAFF:
        return Q(region__path__startswith=user.region.path)
    if user.role == Role.STATION_STAFF:
        return Q(pk=user.station_id)
    if user.role == Role.DEPUTY and action == "view":
        return Q(deputies__pk=user.deputy_id)
    return NOTHING


def deputies_below(region: Region) -> models.QuerySet:
    """Ids of the deputies a committee looks after: living in its region or below, or sitting in
    a station there. A UNION of two indexed reads (region_id, and the deputy–station links of the
    stations below) — an OR across the stations join made PostgreSQL read every deputy and every
    link (bench/records_scale.py)."""
    regions = Region.objects.filter(path__startswith=region.path).values("pk")
    # order_by(): without it the deputies' default ordering sorts the first half for nothing.
    by_region = Deputy.objects.filter(region_id__in=regions).order_by().values("pk")
    by_station = (
        Deputy.stations.through.objects.filter(
            station_id__in=Station.objects.filter(region_id__in=regions).values("pk")
        )
        .order_by()
        .values("deputy_id")
    )
    return by_region.union(by_station)


@rule(Deputy)
def _deputy(user: User, action: str) -> Q:
    if user.role == Role.COMMITTEE_STAFF:
        return Q(pk__in=deputies_below(user.region))
    if user.role == Role.STATION_STAFF:
        return Q(stations__pk=user.station_id)
    if user.role == Role.DEPUTY:
        return Q(pk=user.deputy_id)
    return NOTHING


@rule(Department)
def _department(user: User, action: str) -> Q:
    if user.role == Role.COMMITTEE_STAFF:
        return Q(region__path__startswith=user.region.path)
    if user.role == Role.DEPARTMENT_HANDLER and action == "view":
        return Q(pk=user.department_id)
    return NOTHING


@rule(Category)
def _category(user: User, action: str) -> Q:
    # Every staff role files and reads cases by category; only administrators edit the list.
    return EVERYTHING if action == "view" else NOTHING


@rule(Case)
def _case(user: User, action: str) -> Q:
    # Who may do what to a visible case is decided by the case services; this is who sees it.
    if user.role == Role.COMMITTEE_STAFF:
        return Q(region_path__startswith=user.region.path)
    if user.role == Role.STATION_STAFF:
        return Q(station_id=user.station_id)
    if user.role == Role.DEPUTY:
        return Q(deputy_id=user.deputy_id)
    if user.role == Role.DEPARTMENT_HANDLER:
        # Any assignment, also a returned or withdrawn one: the department keeps its history.
        return Q(assignments__department_id=user.department_id)
    return NOTHING


@rule(Assignment)
def _assignment(user: User, action: str) -> Q:
    if user.role == Role.COMMITTEE_STAFF:
        return Q(case__region_path__startswith=user.region.path)
    if user.role == Role.STATION_STAFF:
        return Q(case__station_id=user.station_id)
    if user.role == Role.DEPUTY:
        return Q(case__deputy_id=user.deputy_id)
    if user.role == Role.DEPARTMENT_HANDLER:
        return Q(department_id=user.department_id)
    return NOTHING


@rule(Appointment)  # 线上预约: the same people as the station's visits
@rule(Visit)
def _visit(user: User, action: str) -> Q:
    # 接待登记: the station's own staff and the committee above it; not deputies or departments.
    if user.role == Role.COMMITTEE_STAFF:
        return Q(station__region__path__startswith=user.region.path)
    if user.role == Role.STATION_STAFF:
        return Q(station_id=user.station_id)
    return NOTHING


@rule(ReceptionRule)
def _reception_day(user: User, action: str) -> Q:
    # 接待日 and 值班: the station's staff and the committee above it; a deputy sees own duties.
    if user.role == Role.COMMITTEE_STAFF:
        return Q(station__region__path__startswith=user.region.path)
    if user.role == Role.STATION_STAFF:
        return Q(station_id=user.station_id)
    return NOTHING


@rule(Duty)
def _duty(user: User, action: str) -> Q:
    if user.role == Role.DEPUTY and action == "view":
        return Q(deputy_id=user.deputy_id)
    return _reception_day(user, action)


@rule(RecordEntry)
def _record_entry(user: User, action: str) -> Q:
    # 履职档案: staff who look after the deputy (the same reach as the Deputy rule) see and
    # confirm the entries; a deputy sees their own but confirms nothing.
    if user.role == Role.COMMITTEE_STAFF:
        return Q(deputy_id__in=deputies_below(user.region))
    if user.role == Role.STATION_STAFF:
        return Q(deputy__stations__pk=user.station_id)
    if user.role == Role.DEPUTY and action == "view":
        return Q(deputy_id=user.deputy_id)
    return NOTHING


@rule(Suggestion)
def _suggestion(user: User, action: str) -> Q:
    # 代表建议: the committee sees what was submitted to it; a station its deputies' drafts too.
    if user.role == Role.COMMITTEE_STAFF:
        return Q(region_path__startswith=user.region.path, submitted_at__isnull=False)
    if user.role == Role.STATION_STAFF:
        return Q(station_id=user.station_id) | Q(lead_deputy__stations__pk=user.station_id)
    if user.role == Role.DEPUTY:
        return Q(lead_deputy_id=user.deputy_id) | Q(cosigners__deputy_id=user.deputy_id)
    if user.role == Role.DEPARTMENT_HANDLER:
        return Q(assignments__department_id=user.department_id)
    return NOTHING


@rule(SuggestionAssignment)
def _suggestion_assignment(user: User, action: str) -> Q:
    if user.role == Role.DEPARTMENT_HANDLER:
        return Q(department_id=user.department_id)
    condition = _suggestion(user, action)
    if condition is NOTHING:
        return NOTHING
    return Q(suggestion__in=Suggestion.objects.filter(condition).values("pk"))
