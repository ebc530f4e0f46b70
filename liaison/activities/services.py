"""Every change to activities, audited. Who may change an activity: whoever may change its
station (scoping.can on Station, "change"): its station staff, the committee above, admins."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.scoping import can
from liaison.cases.workflow import NotAllowed
from liaison.core.audit import record
from liaison.core.phones import normalize_phone, validate_mobile
from liaison.directory.models import Department, Deputy, Station
from liaison.notifications.models import Channel
from liaison.notifications.services import enqueue

from .models import Activity, ActivityKind, ActivityStatus, SignUp


def may_manage(user, station: Station) -> bool:
    return bool(user and user.is_authenticated) and can(user, "change", station)


def _require(user, station):
    if not may_manage(user, station):
        raise NotAllowed(_("Your account may not manage activities of this station."))


@transaction.atomic
def save_activity(
    *,
    actor,
    station: Station,
    kind: ActivityKind,
    title: str,
    starts_at,
    ends_at,
    place: str,
    description: str = "",
    capacity: int | None = None,
    deputies: Sequence[Deputy] = (),
    departments: Sequence[Department] = (),
    activity: Activity | None = None,
) -> Activity:
    """Create (activity=None) or edit an activity that is not cancelled or held."""
    _require(actor, station)
    if activity is not None:
        _require(actor, activity.station)
        if activity.status in (ActivityStatus.CANCELLED, ActivityStatus.HELD):
            raise ValidationError(gettext("A cancelled or held activity can no longer be changed."))
    errors: dict[str, list] = {}
    title, place = (title or "").strip(), (place or "").strip()
    if not title:
        errors.setdefault("title", []).append(gettext("Please give the activity a title."))
    if not place:
        errors.setdefault("place", []).append(gettext("Please say where the activity takes place."))
    if starts_at and ends_at and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(gettext("The activity must end after it starts."))
    if capacity is not None and capacity < 1:
        errors.setdefault("capacity", []).append(gettext("The capacity must be at least 1."))
    for deputy in deputies:
        if not deputy.stations.filter(pk=station.pk).exists():
            errors.setdefault("deputies", []).append(
                gettext("%(name)s does not sit in this station.") % {"name": deputy.name}
            )
    if errors:
        raise ValidationError(errors)
    created = activity is None
    activity = activity or Activity(station=station, created_by=actor)
    activity.station, activity.kind, activity.title, activity.place = station, kind, title, place
    activity.description = (description or "").strip()
    activity.starts_at, activity.ends_at, activity.capacity = starts_at, ends_at, capacity
    activity.save()
    activity.deputies.set(deputies)
    activity.departments.set(departments)
    record(
        "activity.created" if created else "activity.changed",
        actor=actor,
        obj=activity,
        station=station.pk,
        starts_at=starts_at.isoformat(),
        deputies=[d.pk for d in deputies],
    )
    return activity


def _move(activity: Activity, *, actor, to: str, allowed_from: tuple, verb: str, **data):
    _require(actor, activity.station)
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.status not in allowed_from:
        raise ValidationError(
            gettext("This activity is %(status)s; that is not possible now.")
            % {"status": locked.get_status_display()}
        )
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    record(verb, actor=actor, obj=locked, **data)
    return locked


@transaction.atomic
def announce_activity(activity: Activity, *, actor) -> Activity:
    """Publish the activity: it appears on the public pages and in the station's .ics feed."""
    if activity.starts_at <= timezone.now():
        raise ValidationError(gettext("An activity in the past cannot be announced."))
    return _move(
        activity,
        actor=actor,
        to=ActivityStatus.ANNOUNCED,
        allowed_from=(ActivityStatus.DRAFT,),
        verb="activity.announced",
    )


@transaction.atomic
def cancel_activity(activity: Activity, *, actor, reason: str = "") -> Activity:
    return _move(
        activity,
        actor=actor,
        to=ActivityStatus.CANCELLED,
        allowed_from=(ActivityStatus.DRAFT, ActivityStatus.ANNOUNCED),
        verb="activity.cancelled",
        reason=(reason or "").strip(),
    )


def places_left(activity: Activity) -> int | None:
    if activity.capacity is None:
        return None
    return max(activity.capacity - activity.signups.count(), 0)


@transaction.atomic
def sign_up(activity: Activity, *, name: str, phone: str) -> SignUp:
    """A citizen signs up (报名). The activity row is locked first, so two people cannot both take
    the last place: the second waits, then counts the first one's sign-up."""
    phone = normalize_phone(phone)
    try:
        validate_mobile(phone)
    except ValidationError as invalid:
        raise ValidationError({"phone": invalid.error_list}) from invalid
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.status == ActivityStatus.CANCELLED:
        raise ValidationError(gettext("This activity has been cancelled."))
    if locked.status != ActivityStatus.ANNOUNCED or locked.starts_at <= timezone.now():
        raise ValidationError(gettext("Sign-up for this activity is closed."))
    if locked.signups.filter(phone=phone).exists():
        raise ValidationError(
            {"phone": [gettext("This phone number has already signed up for this activity.")]}
        )
    if locked.capacity is not None and locked.signups.count() >= locked.capacity:
        raise ValidationError(gettext("Sorry, this activity is full."))
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(activity=locked, name=(name or "").strip(), phone=phone)
    except IntegrityError as duplicate:  # the same phone at the same moment
        raise ValidationError(
            {"phone": [gettext("This phone number has already signed up for this activity.")]}
        ) from duplicate
    when = timezone.localtime(locked.starts_at).strftime("%Y-%m-%d %H:%M")
    enqueue(
        Channel.SMS,
        phone,
        gettext("You are signed up for “%(title)s” on %(when)s at %(place)s.")
        % {"title": locked.title, "when": when, "place": locked.place},
        dedupe_key=f"activity-signup:{signup.pk}",
    )
    record("activity.signed_up", obj=locked, signup=signup.pk)
    return signup
