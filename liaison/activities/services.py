"""Every change to activities, audited. Who may act is the permission table's
(activities/permissions.py): the station's staff and the committee above it; which action the
activity's status allows is the table in workflow.py."""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.cases import models as case_models
from liaison.cases.services import submit_case
from liaison.core.audit import record
from liaison.core.errors import DomainError
from liaison.core.events import record_event
from liaison.core.images import reencode_image
from liaison.core.permissions import require
from liaison.core.phones import normalize_phone, validate_mobile
from liaison.directory.models import Category, Department, Deputy, Region, Station
from liaison.notifications.services import enqueue_sms
from liaison.receptions.services import clean_guest

from .models import (
    Activity,
    ActivityGuest,
    ActivityKind,
    ActivityOpinion,
    ActivityPhoto,
    ActivityStatus,
    PlannedActivity,
    SignUp,
)
from .workflow import MACHINE, Action, recording_open

MAX_PHOTOS = 30  # per activity: a record, not an album
NOT_YOURS = _("Your account may not manage activities of this station.")
NOT_YOUR_REGION = _(
    "Only the committee staff of this region may plan an activity of the region without a station."
)


def _sits_in(deputy: Deputy, activity_or_station, region: Region | None = None) -> bool:
    """Whether the deputy belongs to where the activity is held: sits in its station; for an
    activity of a region without a station (区级活动), lives in the region or sits in a station
    of it."""
    if isinstance(activity_or_station, Activity):
        station, region = activity_or_station.station, activity_or_station.region
    else:
        station = activity_or_station
    if station is not None:
        return deputy.stations.filter(pk=station.pk).exists()
    return deputy.region.path.startswith(region.path) or (
        deputy.stations.filter(region__path__startswith=region.path).exists()
    )


def _require(user, activity: Activity) -> None:
    require(user, "activity.change", activity, NOT_YOURS)


def _guard(activity: Activity, action: str) -> tuple[Activity, str]:
    """Lock the activity and check the table (workflow.py): the locked row and the status the
    action leads to, or TransitionRefused in the words of workflow.REFUSALS — ConcurrentChange
    when the status moved since the caller read `activity`."""
    return MACHINE.guard(activity, action, activity.status)


@transaction.atomic
def save_activity(
    *,
    actor,
    station: Station | None,
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
    allow_walk_ins: bool = True,
    region: Region | None = None,
) -> Activity:
    """Create (activity=None) or edit an activity that is not cancelled or held (the table's
    `change`). Moving it to another station needs both stations. Without a station it is an
    activity of `region` (区级活动), which only the committee of that region plans."""
    if station is not None and region is not None:
        raise ValidationError(
            {"region": [gettext("Choose a station or a region without a station, not both.")]}
        )
    if station is None and region is None:
        raise ValidationError(
            {"station": [gettext("Choose the station, or the region of an activity without one.")]}
        )
    if station is not None:
        require(actor, "station.add_activity", station, NOT_YOURS)
    else:
        require(actor, "region.add_activity", region, NOT_YOUR_REGION)
    from_state = ""
    if activity is not None:
        _require(actor, activity)
        activity, _same = _guard(activity, Action.CHANGE)
        from_state = activity.status
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
        if not _sits_in(deputy, station, region):
            errors.setdefault("deputies", []).append(
                gettext("%(name)s does not sit in this station.") % {"name": deputy.name}
                if station is not None
                else gettext("%(name)s is not a deputy of this region.") % {"name": deputy.name}
            )
    if errors:
        raise ValidationError(errors)
    created = activity is None
    # Those signed up are told when the time or the place changes (activities/notices.py).
    moved = not created and (
        (activity.starts_at, activity.ends_at, activity.place) != (starts_at, ends_at, place)
    )
    activity = activity or Activity(station=station, region=region, created_by=actor)
    activity.station, activity.region = station, region
    activity.kind, activity.title, activity.place = kind, title, place
    activity.description = (description or "").strip()
    activity.starts_at, activity.ends_at, activity.capacity = starts_at, ends_at, capacity
    activity.allow_walk_ins = allow_walk_ins
    activity.save()
    activity.deputies.set(deputies)
    activity.departments.set(departments)
    record_event(
        activity,
        "activity.created" if created else "activity.changed",
        actor=actor,
        from_state=from_state,
        data={
            "station": station.pk if station else None,
            **({"region": region.code} if region is not None else {}),
            "starts_at": starts_at.isoformat(),
            "deputies": [d.pk for d in deputies],
            "moved": moved,
        },
    )
    return activity


def _move(activity: Activity, action: str, *, actor, verb: str, **data):
    _require(actor, activity)
    locked, to = _guard(activity, action)
    from_state, locked.status = locked.status, to
    locked.save(update_fields=["status", "updated_at"])
    record_event(locked, verb, actor=actor, from_state=from_state, data=data)
    return locked


@transaction.atomic
def announce_activity(activity: Activity, *, actor) -> Activity:
    """Publish the activity: it appears on the public pages and in the station's .ics feed."""
    if activity.starts_at <= timezone.now():
        raise ValidationError(gettext("An activity in the past cannot be announced."))
    return _move(activity, Action.ANNOUNCE, actor=actor, verb="activity.announced")


@transaction.atomic
def cancel_activity(activity: Activity, *, actor, reason: str = "") -> Activity:
    reason = (reason or "").strip()
    return _move(activity, Action.CANCEL, actor=actor, verb="activity.cancelled", reason=reason)


def places_left(activity: Activity) -> int | None:
    if activity.capacity is None:
        return None
    return max(activity.capacity - activity.signups.count(), 0)


def check_sign_up(activity: Activity, phone: str) -> None:
    """Refuse (ValidationError) when `phone` cannot sign up for `activity` now: cancelled,
    closed, signed up already, full. `phone` is normalised."""
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError(gettext("This activity has been cancelled."))
    if activity.status != ActivityStatus.ANNOUNCED or activity.starts_at <= timezone.now():
        raise ValidationError(gettext("Sign-up for this activity is closed."))
    if activity.signups.filter(phone=phone).exists():
        raise ValidationError(
            {"phone": [gettext("This phone number has already signed up for this activity.")]}
        )
    if activity.capacity is not None and activity.signups.count() >= activity.capacity:
        raise ValidationError(gettext("Sorry, this activity is full."))


def clean_phone(phone: str) -> str:
    """The normalised mobile number, or ValidationError on "phone"."""
    phone = normalize_phone(phone)
    try:
        validate_mobile(phone)
    except ValidationError as invalid:
        raise ValidationError({"phone": invalid.error_list}) from invalid
    return phone


@transaction.atomic
def sign_up(activity: Activity, *, name: str, phone: str, privacy_accepted_at=None) -> SignUp:
    """A citizen signs up (报名) and takes a place. The activity row is locked first, so two
    people cannot both take the last place: the second waits, then counts the first one's
    sign-up. Citizens online come here only through `signups.verify_sign_up` (the SMS code)."""
    phone = clean_phone(phone)
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    check_sign_up(locked, phone)
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(
                activity=locked,
                name=(name or "").strip(),
                phone=phone,
                privacy_accepted_at=privacy_accepted_at,
            )
    except IntegrityError as duplicate:  # the same phone at the same moment
        raise ValidationError(
            {"phone": [gettext("This phone number has already signed up for this activity.")]}
        ) from duplicate
    when = timezone.localtime(locked.starts_at).strftime("%Y-%m-%d %H:%M")
    enqueue_sms(
        phone,
        "activity_signed_up",
        {"title": locked.title, "when": when, "place": locked.place},
        dedupe_key=f"activity-signup:{signup.pk}",
    )
    record("activity.signed_up", obj=locked, signup=signup.pk)
    return signup


# ---------------------------------------------------------------------------------------------
# Check-in at the venue (现场签到)


class CheckInRefused(DomainError):
    """The check-in code cannot be used: unknown, of another activity, or outside the window.
    `code` says which (unknown · other_activity · not_open · closed · cancelled)."""

    code = "check_in_refused"


def checkin_activity(public_code: str, token: str) -> Activity:
    """The activity a scanned QR code (/a/<public code>/check-in/<token>/) opens, or
    CheckInRefused. Only reads; the codes are compared in constant time."""
    activity = (
        Activity.objects.select_related("station", "region", "kind")
        .exclude(status=ActivityStatus.DRAFT)
        .filter(public_code=public_code)
        .first()
    )
    if activity is None or not token:
        raise CheckInRefused(_("This check-in code is not known."), code="unknown")
    if not secrets.compare_digest(activity.checkin_code.encode(), str(token).encode()):
        if Activity.objects.filter(checkin_code=token).exists():
            raise CheckInRefused(
                _("This check-in code belongs to another activity, not to “%(title)s”.")
                % {"title": activity.title},
                code="other_activity",
            )
        raise CheckInRefused(_("This check-in code is not known."), code="unknown")
    return activity


def check_window(activity: Activity, now=None) -> None:
    """Check-in opens an hour before the start (CHECK_IN_OPENS_BEFORE) and closes at the end."""
    now = now or timezone.now()
    if activity.status == ActivityStatus.CANCELLED:
        raise CheckInRefused(_("This activity has been cancelled."), code="cancelled")
    if now < activity.check_in_opens_at:
        when = timezone.localtime(activity.check_in_opens_at).strftime("%Y-%m-%d %H:%M")
        raise CheckInRefused(_("Check-in opens at %(when)s.") % {"when": when}, code="not_open")
    if now > activity.ends_at:
        raise CheckInRefused(
            _("This activity is over; its check-in code can no longer be used."), code="closed"
        )


@transaction.atomic
def check_in(activity: Activity, *, token: str, phone: str, name: str = "") -> SignUp:
    """签到: the phone that signed up is checked in once; with walk-ins allowed, an unknown phone
    becomes a sign-up that is checked in at once. The activity row is locked so two scans of the
    same phone cannot both create a walk-in."""
    activity = checkin_activity(activity.public_code, token)
    phone = normalize_phone(phone)
    try:
        validate_mobile(phone)
    except ValidationError as invalid:
        raise ValidationError({"phone": invalid.error_list}) from invalid
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    check_window(locked)
    now = timezone.now()
    signup = locked.signups.filter(phone=phone).first()
    if signup is not None and signup.checked_in_at is not None:
        when = timezone.localtime(signup.checked_in_at).strftime("%H:%M")
        raise CheckInRefused(
            _("This phone number is already checked in (at %(when)s).") % {"when": when},
            code="already",
        )
    if signup is None:
        if not locked.allow_walk_ins:
            raise ValidationError(
                {"phone": [gettext("This phone number has not signed up for this activity.")]}
            )
        signup = SignUp.objects.create(
            activity=locked,
            name=(name or "").strip(),
            phone=phone,
            walk_in=True,
            checked_in_at=now,
        )
    else:
        signup.checked_in_at = now
        signup.save(update_fields=["checked_in_at"])
    record("activity.checked_in", obj=locked, signup=signup.pk, walk_in=signup.walk_in)
    return signup


# ---------------------------------------------------------------------------------------------
# Holding the activity (活动开展): attendance, minutes, outcomes, photos


def _read_photos(uploads: Iterable, *, room: int) -> list[bytes]:
    """Every upload checked by content and re-encoded, or ValidationError on `photos` naming
    each refused file; nothing is saved unless all pass."""
    uploads = [u for u in uploads if u]
    if len(uploads) > room:
        raise ValidationError(
            {"photos": [gettext("An activity keeps at most %(max)d photos.") % {"max": MAX_PHOTOS}]}
        )
    read, errors = [], []
    for upload in uploads:
        name = str(getattr(upload, "name", "") or "photo")[:100]
        try:
            read.append(reencode_image(upload.read(settings.PHOTO_MAX_BYTES + 1)))
        except ValidationError as invalid:
            errors.append(f"{name}: {invalid.messages[0]}")
    if errors:
        raise ValidationError({"photos": errors})
    return read


@transaction.atomic
def hold_activity(
    activity: Activity,
    *,
    actor,
    attended_deputies: Sequence[Deputy],
    minutes: str,
    outcomes: str = "",
    present_signups: Iterable[int] | None = None,
    photos: Iterable = (),
) -> Activity:
    """记录活动: an announced activity that has started becomes HELD with who attended, the
    minutes and outcomes; a held one is edited the same way. `present_signups`: ids of the
    sign-ups staff tick as present (None leaves check-ins as they are); a citizen's own check-in
    is unticked only by staff, on purpose (someone who scanned and left)."""
    _require(actor, activity)
    locked, held = _guard(activity, Action.HOLD)
    now = timezone.now()
    if locked.starts_at > now:
        raise ValidationError(gettext("An activity can be recorded only once it has started."))
    errors: dict[str, list] = {}
    minutes, outcomes = (minutes or "").strip(), (outcomes or "").strip()
    if not minutes:
        errors.setdefault("minutes", []).append(gettext("Please write the minutes."))
    invited = set(locked.deputies.values_list("pk", flat=True))
    for deputy in attended_deputies:
        if deputy.pk not in invited and not _sits_in(deputy, locked):
            errors.setdefault("attended_deputies", []).append(
                gettext("%(name)s was not invited and does not sit in this station.")
                % {"name": deputy.name}
                if locked.station_id
                else gettext("%(name)s was not invited and is not a deputy of this region.")
                % {"name": deputy.name}
            )
    try:
        images = _read_photos(photos, room=MAX_PHOTOS - locked.photos.count())
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    if errors:
        raise ValidationError(errors)

    from_state = locked.status
    first_time = from_state != held
    locked.status, locked.minutes, locked.outcomes = held, minutes, outcomes
    if first_time:
        locked.held_at = now
    locked.save(update_fields=["status", "minutes", "outcomes", "held_at", "updated_at"])
    locked.attended_deputies.set(attended_deputies)
    ticked, unticked = [], []
    if present_signups is not None:
        wanted = {int(pk) for pk in present_signups}
        for signup in locked.signups.all():
            present = signup.checked_in_at is not None
            if signup.pk in wanted and not present:
                signup.checked_in_at = now
                ticked.append(signup.pk)
            elif signup.pk not in wanted and present:
                signup.checked_in_at = None
                unticked.append(signup.pk)
            else:
                continue
            signup.save(update_fields=["checked_in_at"])
    saved = [
        ActivityPhoto.objects.create(
            activity=locked, image=ContentFile(data, name="photo.jpg"), uploaded_by=actor
        ).pk
        for data in images
    ]
    record_event(
        locked,
        "activity.held" if first_time else "activity.record_changed",
        actor=actor,
        from_state=from_state,
        data={
            "attended_deputies": sorted(d.pk for d in attended_deputies),
            "present": ticked,
            "absent": unticked,
            "photos": saved,
        },
    )
    return locked


@transaction.atomic
def remove_photo(photo: ActivityPhoto, *, actor) -> None:
    _require(actor, photo.activity)
    photo = ActivityPhoto.objects.select_for_update().get(pk=photo.pk)
    record("activity.photo_removed", actor=actor, obj=photo.activity, photo=photo.pk)
    # The file goes after the commit: a rollback must not leave a row without its file.
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------------------------------------
# Opinions raised at the activity → cases


@dataclass(frozen=True)
class Opinion:
    citizen_name: str
    citizen_phone: str
    category: Category
    title: str
    description: str
    deputy: Deputy | None = None
    # An activity without a station: the station of its region the case is registered at.
    station: Station | None = None


@transaction.atomic
def register_opinion(activity: Activity, *, actor, opinion: Opinion, privacy_accepted: bool):
    """An opinion a citizen raised at the activity becomes a case linked to it, both or neither.
    The case channel is "activity": registered by staff in person, like a reception visit (the
    privacy notice accepted on the spot, no SMS code), and the case workflow treats both alike."""
    _require(actor, activity)
    # Not a change of status: the lock only keeps a cancellation from slipping in between.
    locked = MACHINE.lock(activity)
    if not recording_open(locked):
        raise ValidationError(gettext("Opinions are registered once the activity has started."))
    deputy, station = opinion.deputy, locked.station
    if station is None:
        # 区级活动: a case is always a station's; staff choose one of the region's stations.
        station = opinion.station
        region_path = locked.region.path
        if station is None or not station.region.path.startswith(region_path):
            raise ValidationError(
                {
                    "station": [
                        gettext(
                            "Choose the station of the region that takes this opinion as a case."
                        )
                    ]
                }
            )
    if deputy is not None and not deputy.stations.filter(pk=station.pk).exists():
        raise ValidationError(
            {"deputy": [gettext("%(name)s does not sit in this station.") % {"name": deputy.name}]}
        )
    case = submit_case(
        channel=case_models.Channel.ACTIVITY,
        station=station,
        deputy=deputy,
        category=opinion.category,
        title=opinion.title,
        description=opinion.description,
        citizen_name=opinion.citizen_name,
        citizen_phone=opinion.citizen_phone,
        privacy_accepted=privacy_accepted,
        privacy_consent={"how": "in_person_at_activity", "activity": locked.pk},
        actor=actor,
    )
    link = ActivityOpinion.objects.create(activity=locked, case=case, created_by=actor)
    record("activity.opinion_registered", actor=actor, obj=locked, case=case.tracking_number)
    return link


@transaction.atomic
def add_activity_guest(
    activity: Activity, *, actor, kind: str, name: str, organisation: str, role: str = ""
) -> ActivityGuest:
    """联合接待 — invite an outside participant while the activity can still be changed; the
    public page lists them beside the deputies."""
    _require(actor, activity)
    values = clean_guest(kind=kind, name=name, organisation=organisation, role=role)
    locked, _to = _guard(activity, Action.CHANGE)
    if locked.guests.filter(name=values["name"], organisation=values["organisation"]).exists():
        raise ValidationError({"name": _("This guest is already listed for this activity.")})
    guest = ActivityGuest.objects.create(activity=locked, added_by=actor, **values)
    record_event(
        locked,
        "activity.guest_added",
        actor=actor,
        from_state=locked.status,
        data={"guest": guest.pk, **values},
    )
    return guest


@transaction.atomic
def remove_activity_guest(guest: ActivityGuest, *, actor) -> None:
    activity = guest.activity
    _require(actor, activity)
    locked, _to = _guard(activity, Action.CHANGE)
    record_event(
        locked,
        "activity.guest_removed",
        actor=actor,
        from_state=locked.status,
        data={"guest": guest.pk, "name": guest.name, "organisation": guest.organisation},
    )
    guest.delete()


PLAN_YEARS_AHEAD = 1  # next year's plan is drawn up in the autumn


@transaction.atomic
def add_planned_activity(
    *, station: Station, year: int, month: int, kind: ActivityKind, title: str, actor
) -> PlannedActivity:
    """年度活动计划 — one line of the station's plan for a year."""
    require(actor, "station.add_activity", station, NOT_YOURS)
    title = " ".join((title or "").split())
    this_year = timezone.localdate().year
    errors = {}
    if not this_year - 1 <= year <= this_year + PLAN_YEARS_AHEAD:
        errors["year"] = _("Plan this year or next year (or correct last year's).")
    if not 1 <= month <= 12:
        errors["month"] = _("Choose a month from 1 to 12.")
    if not kind.is_active:
        errors["kind"] = _("This kind of activity is no longer in use.")
    if not title:
        errors["title"] = _("Give the planned activity a title.")
    elif len(title) > 120:
        errors["title"] = _("At most %(limit)d characters.") % {"limit": 120}
    if errors:
        raise ValidationError(errors)
    plan = PlannedActivity.objects.create(
        station=station, year=year, month=month, kind=kind, title=title, created_by=actor
    )
    record(
        "plannedactivity.added",
        actor=actor,
        obj=plan,
        station=station.pk,
        year=year,
        month=month,
        kind=kind.code,
        title=title,
    )
    return plan


@transaction.atomic
def remove_planned_activity(plan: PlannedActivity, *, actor) -> None:
    require(actor, "station.add_activity", plan.station, NOT_YOURS)
    record(
        "plannedactivity.removed",
        actor=actor,
        obj=plan,
        station=plan.station_id,
        year=plan.year,
        month=plan.month,
        title=plan.title,
    )
    plan.delete()
