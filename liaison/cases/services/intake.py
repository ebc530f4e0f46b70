"""Intake: a new case from any channel, and the citizen's phone confirmation."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from liaison.core.errors import TransitionRefused
from liaison.core.permissions import require
from liaison.core.phones import normalize_phone, validate_landline, validate_mobile
from liaison.directory.models import Category, Deputy, GridCell, Station
from liaison.directory.selectors import deputy_station_ids
from liaison.notifications.services import one_insert

from .. import links
from ..models import (
    Case,
    CasePhoto,
    Channel,
    new_tracking_number,
)
from ..workflow import MACHINE
from .mechanics import (
    DUE_FIELDS,
    MAX_PHOTOS,
    NOT_YOURS,
    TRACKING_ATTEMPTS,
    _save,
    _set_due,
    _sms,
    case_event,
    days,
)

# --- intake ------------------------------------------------------------------------------------


def submit_case(
    *,
    channel: str,
    station: Station,
    deputy: Deputy | None,
    category: Category,
    title: str,
    description: str,
    citizen_phone: str,
    citizen_name: str = "",
    citizen_landline: str = "",
    citizen_address: str = "",
    contact_required: bool = True,
    confidential: bool = False,
    public_consent: bool = False,
    privacy_accepted: bool,
    location_text: str = "",
    latitude=None,
    longitude=None,
    actor=None,
    language: str | None = None,
    photos: Iterable = (),
    verify_phone: bool = False,
    privacy_consent: dict | None = None,
    then: Callable[[Case], object] | None = None,
    grid_cell: GridCell | None = None,
) -> Case:
    """A new case from any channel. `actor` is None for the citizen's own message, or the staff
    account that registers a visit, a call or a letter.

    `verify_phone=True` (the citizen's online form): the case is a draft until the citizen types
    the SMS code (`confirm_phone`) — no event, no message, no review clock yet; staff do not see
    it (`Case.objects.verified()`) and a periodic job deletes it after a day. Otherwise the case
    is announced at once; an online message then counts as verified by its caller.

    `photos`: files already re-encoded by `liaison.core.images` (EXIF and location stripped).
    `privacy_consent`: how a citizen without the online form accepted the privacy notice
    (e.g. `{"how": "read_out_on_phone"}`), kept in the submission event's data.

    The mobile is needed for the citizen's own online message. Staff entering a call, a letter or
    a visit may give a landline or a postal address instead (no SMS then: the answer goes by
    reply letter). `contact_required=False` lets a partner file with no contact at all
    (Open311 allows it): the tracking number is then the only way back.

    `then(case)` runs in the same transaction after the case is written (the online form sends
    the SMS code there): pass it rather than wrapping the call in `transaction.atomic`, which
    costs a savepoint around the insert.

    `grid_cell`: the cell a grid worker (网格员) files from (`Channel.GRID`); the case goes to
    the station that covers the cell."""
    photos = list(photos)
    if channel == Channel.GRID or grid_cell is not None:
        if actor is None or grid_cell is None:
            raise ValidationError({"grid_cell": _("A grid worker files a case from their cell.")})
        # Grid workers file for the residents of their own cell (the "gridcell.file_case" row).
        require(actor, "gridcell.file_case", grid_cell, NOT_YOURS)
        if channel != Channel.GRID:
            raise ValidationError({"channel": _("A case from a grid cell comes by grid worker.")})
        if grid_cell.station_id != station.pk:
            raise ValidationError({"station": _("This station does not cover the grid cell.")})
        if not grid_cell.is_active:
            raise ValidationError({"grid_cell": _("This grid cell is no longer active.")})
    elif actor is not None:
        # Staff register cases at the stations they work for (the "station.change" row).
        require(actor, "station.change", station, NOT_YOURS)
    errors: dict[str, list] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    if channel not in Channel.values:
        error("channel", _("Choose how the matter reached us."))
    if not privacy_accepted:
        error("privacy_accepted", _("Please read and accept the privacy notice."))
    phone, landline = normalize_phone(citizen_phone), normalize_phone(citizen_landline)
    citizen_address = (citizen_address or "").strip()
    if phone or verify_phone or channel == Channel.ONLINE:
        try:
            validate_mobile(phone)
        except ValidationError as invalid:
            errors.setdefault("citizen_phone", []).extend(invalid.error_list)
    elif contact_required and not (landline or citizen_address):
        error(
            "citizen_phone",
            _(
                "Give the citizen's mobile phone, a landline or a postal address: the answer "
                "must reach them."
            ),
        )
    if landline:
        try:
            validate_landline(landline)
        except ValidationError as invalid:
            errors.setdefault("citizen_landline", []).extend(invalid.error_list)
    if len(citizen_address) > Case._meta.get_field("citizen_address").max_length:
        error("citizen_address", _("The address is too long."))
    title, description = (title or "").strip(), (description or "").strip()
    citizen_name, location_text = (citizen_name or "").strip(), (location_text or "").strip()
    if not title:
        error("title", _("Please give your message a title."))
    elif len(title) > Case._meta.get_field("title").max_length:
        error("title", _("The title is too long."))
    if not description:
        error("description", _("Please describe the matter."))
    if len(citizen_name) > Case._meta.get_field("citizen_name").max_length:
        error("citizen_name", _("The name is too long."))
    if len(location_text) > Case._meta.get_field("location_text").max_length:
        error("location_text", _("The place description is too long."))
    if not station.is_active:
        error("station", _("This station no longer takes messages."))
    if not category.is_active:
        error("category", _("Choose one of the listed categories."))
    if deputy is not None and (
        not deputy.is_active or station.pk not in deputy_station_ids(deputy.pk)
    ):
        error("deputy", _("This deputy does not sit in this station."))
    if (latitude is None) != (longitude is None) or (
        latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        error("latitude", _("The location is not a valid position."))
    if len(photos) > MAX_PHOTOS:
        error("photos", _("Send at most %(max)d photos.") % {"max": MAX_PHOTOS})
    if verify_phone and (actor is not None or channel != Channel.ONLINE):
        error("channel", _("Only the citizen's online message is confirmed by SMS code."))
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    case = Case(
        channel=channel,
        station=station,
        grid_cell=grid_cell,
        region_path=station.region.path,
        deputy=deputy,
        category=category,
        title=title,
        description=description,
        location_text=location_text,
        latitude=latitude,
        longitude=longitude,
        citizen_name=citizen_name,
        citizen_phone=phone,
        citizen_landline=landline,
        citizen_address=citizen_address,
        confidential=confidential,
        public_consent=public_consent,
        privacy_accepted_at=now,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
    )
    if not verify_phone:
        _set_due(case, now, days("CASE_REVIEW_DAYS"))
        if channel == Channel.ONLINE:
            case.phone_verified_at = now

    def complete():
        for photo in photos:
            CasePhoto.objects.create(case=case, image=photo)
        if not verify_phone:
            consent = {"privacy_consent": privacy_consent} if privacy_consent else {}
            _announce(case, actor=actor, new_case=True, **consent)
        if then is not None:
            then(case)

    if transaction.get_connection().in_atomic_block:
        # Inside the caller's transaction: only a savepoint lets a taken number be retried.
        _insert_with_savepoint(case)
        complete()
        return case
    # The transaction is ours, and the case is its first write: when the number is taken, the
    # whole (empty) transaction is tried again — no savepoint round trips on every submission.
    for attempt in range(TRACKING_ATTEMPTS):
        case.tracking_number = new_tracking_number()
        try:
            with transaction.atomic():
                case.save(force_insert=True)
                complete()
            return case
        except IntegrityError:
            if attempt == TRACKING_ATTEMPTS - 1 or not _number_taken(case):
                raise
            case.pk = None
    raise AssertionError("unreachable")


def _insert_with_savepoint(case: Case) -> None:
    for attempt in range(TRACKING_ATTEMPTS):
        case.tracking_number = new_tracking_number()
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == TRACKING_ATTEMPTS - 1 or not _number_taken(case):
                raise
            case.pk = None


def _number_taken(case: Case) -> bool:
    return Case.objects.filter(tracking_number=case.tracking_number).exists()


def _announce(case: Case, *, actor, new_case: bool = False, **data) -> None:
    """The submission as the citizen and the staff see it: the event and the SMS with the
    tracking number (with the staff's notices, one INSERT)."""
    with one_insert():
        event = case_event(
            case,
            "case.submitted",
            actor=actor,
            from_status="",
            channel=case.channel,
            new_aggregate=new_case,
            **data,
        )
        _sms(case, event, "case_received", links.tracking_url(case))


# No savepoint: it runs inside the code check's transaction, which a refusal undoes whole.
@transaction.atomic(savepoint=False)
def confirm_phone(case: Case) -> Case:
    """The citizen typed the right SMS code (see verification.py): the draft becomes a message —
    the review clock starts now, the submission event is written and the tracking SMS sent."""
    locked = MACHINE.lock(case)
    if locked.phone_verified_at is not None:
        raise TransitionRefused(_("This message has been confirmed already."))
    now = timezone.now()
    locked.phone_verified_at = now
    _set_due(locked, now, days("CASE_REVIEW_DAYS"))
    _save(locked, "phone_verified_at", *DUE_FIELDS)
    _announce(locked, actor=None, phone_verified=True)
    return locked
