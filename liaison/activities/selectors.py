"""Reads that need scoping or care: the staff pages' scope (the permission table), the staff list's
filters, and what the public pages and feeds show."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import restrict
from liaison.directory.models import Region, Station

from .models import Activity, ActivityKind, ActivityStatus


def staff_stations(user, *, active: bool = False):
    """The stations the account plans activities at ("station.add_activity"): the choices of
    the activity form (active ones) and of the staff list's filter (all: older activities keep
    a station that has closed since)."""
    stations = Station.objects.filter(is_active=True) if active else Station.objects.all()
    return restrict(stations, user, "station.add_activity").order_by("name")


def visible_activities(user):
    """The activities the account sees on the staff pages ("activity.view")."""
    return restrict(Activity.objects.all(), user, "activity.view").select_related(
        "station", "region", "kind"
    )


def public_activities():
    """Every activity but drafts: what a public page or the API may open by its code."""
    return Activity.objects.exclude(status=ActivityStatus.DRAFT).select_related(
        "station", "region", "kind"
    )


# ---------------------------------------------------------------------------------------------
# The staff list (/staff/activities/): search, filters, sorting; paginated by the view.

STAFF_PAGE_SIZE = 25

STAFF_SORTS = [
    ("upcoming", _("Upcoming first, then past")),
    ("newest", _("Latest start first")),
    ("oldest", _("Earliest start first")),
    ("title", _("Title")),
    ("status", _("Status")),
]

# The order of the "status" sort: the life of an activity.
STATUS_ORDER = [
    ActivityStatus.DRAFT,
    ActivityStatus.ANNOUNCED,
    ActivityStatus.HELD,
    ActivityStatus.CANCELLED,
]


@dataclass
class StaffQuery:
    status: str = ""
    q: str = ""
    station: Station | None = None
    kind: ActivityKind | None = None
    starts_from: date | None = None  # local days, both included
    starts_until: date | None = None
    sort: str = "upcoming"


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _ordering(sort: str, now: datetime) -> list:
    if sort == "newest":
        return ["-starts_at", "-id"]
    if sort == "oldest":
        return ["starts_at", "id"]
    if sort == "title":
        return ["title", "-starts_at", "id"]
    if sort == "status":
        rank = Case(
            *(When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)),
            default=Value(len(STATUS_ORDER)),
            output_field=IntegerField(),
        )
        return [rank, "-starts_at", "-id"]
    # Upcoming (not over yet) first, soonest at the top; then past ones, latest first. The
    # second key is null for past rows, so they fall through to the descending third key.
    past = Case(When(ends_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField())
    upcoming_start = Case(When(ends_at__gte=now, then=F("starts_at")), default=None)
    return [past, upcoming_start.asc(), F("starts_at").desc(), "-id"]


def staff_activities(user, query: StaffQuery, now: datetime | None = None):
    """The staff list: `visible_activities` (the scope) with the filters applied, in order."""
    now = now or timezone.now()
    activities = visible_activities(user)
    if query.status:
        activities = activities.filter(status=query.status)
    if query.station is not None:
        activities = activities.filter(station=query.station)
    if query.kind is not None:
        activities = activities.filter(kind=query.kind)
    if query.starts_from is not None:
        activities = activities.filter(starts_at__gte=_local_midnight(query.starts_from))
    if query.starts_until is not None:
        following = query.starts_until + timedelta(days=1)
        activities = activities.filter(starts_at__lt=_local_midnight(following))
    if query.q:
        # icontains works alike on SQLite and PostgreSQL (Chinese has no word boundaries);
        # the scope narrows the rows first.
        activities = activities.filter(Q(title__icontains=query.q) | Q(place__icontains=query.q))
    return activities.order_by(*_ordering(query.sort, now))


def status_counts(user) -> dict[str, int]:
    """How many activities of the scope per status (the tabs), in one query."""
    counts = visible_activities(user).aggregate(
        all=Count("pk"),
        **{s.value: Count("pk", filter=Q(status=s)) for s in ActivityStatus},
    )
    return {key: value or 0 for key, value in counts.items()}


def upcoming_public(station: Station | None = None):
    """Announced activities not yet over — what citizens see: of active stations, and the
    district activities without a station (区级活动)."""
    activities = (
        Activity.objects.filter(status=ActivityStatus.ANNOUNCED, ends_at__gt=timezone.now())
        .filter(Q(station__is_active=True) | Q(station__isnull=True))
        .select_related("station", "region", "kind")
    )
    if station is not None:
        activities = activities.filter(station=station)
    return activities.order_by("starts_at", "id")


PUBLIC_STATUSES = (ActivityStatus.ANNOUNCED, ActivityStatus.HELD, ActivityStatus.CANCELLED)


def public_stations(*, station: Station | None = None, region: Region | None = None):
    """The active stations a public calendar covers: one station, or a region's whole subtree
    (Region.path prefix: a county calendar shows its streets' and communities' stations)."""
    stations = Station.objects.filter(is_active=True)
    if station is not None:
        return stations.filter(pk=station.pk)
    if region is not None:
        return stations.filter(region__path__startswith=region.path)
    return stations


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month in local time (Asia/Shanghai), as aware datetimes [start, end)."""
    start = timezone.make_aware(datetime(year, month, 1))
    following = date(year + (month == 12), month % 12 + 1, 1)
    return start, timezone.make_aware(datetime.combine(following, time.min))


def held_by(stations, region: Region | None) -> Q:
    """The activities of these stations, and with `region` those of the region's subtree held
    without a station (区级活动)."""
    where = Q(station__in=stations)
    if region is not None:
        where |= Q(station__isnull=True, region__path__startswith=region.path)
    return where


def month_public(stations, year: int, month: int, region: Region | None = None):
    """A month of the public calendar: announced and held activities (cancelled ones too, marked,
    so that someone who planned to come learns it), by start time. A region's calendar also has
    the activities of the region held without a station."""
    start, end = month_bounds(year, month)
    return (
        Activity.objects.filter(
            held_by(stations, region),
            status__in=PUBLIC_STATUSES,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("station", "region", "kind")
        .order_by("starts_at", "id")
    )


def upcoming_in(stations, region: Region | None = None):
    """Announced activities not yet over, of these stations and, with `region`, of the region's
    subtree held without a station (the .ics feeds)."""
    return (
        Activity.objects.filter(
            held_by(stations, region),
            status=ActivityStatus.ANNOUNCED,
            ends_at__gt=timezone.now(),
        )
        .select_related("station", "region", "kind")
        .order_by("starts_at", "id")
    )
