from django.utils import timezone

from liaison.accounts.scoping import restrict
from liaison.directory.models import Station

from .models import Activity, ActivityStatus


def manageable_stations(user):
    return restrict(Station.objects.filter(is_active=True), user, "change").order_by("name")


def visible_activities(user):
    """Activities of the stations the account may change (scoping.restrict)."""
    stations = restrict(Station.objects.all(), user, "change").values("pk")
    return Activity.objects.filter(station__in=stations).select_related("station", "kind")


def upcoming_public(station: Station | None = None):
    """Announced activities not yet over — what citizens see."""
    activities = Activity.objects.filter(
        status=ActivityStatus.ANNOUNCED, ends_at__gt=timezone.now(), station__is_active=True
    ).select_related("station", "kind")
    if station is not None:
        activities = activities.filter(station=station)
    return activities.order_by("starts_at", "id")
