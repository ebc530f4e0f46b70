"""Every change to a record entry: add, confirm (审核确认), reject with a reason.

Who may act is the permission table's:
- add: whoever writes in the deputy's name ("deputy.speak_for": the deputy, station staff of a
  station the deputy sits in), administrators;
- confirm or reject: the staff who look after the deputy ("recordentry.change": station staff of
  a station the deputy sits in, committee staff whose region covers the deputy), administrators.
  A deputy never confirms.
Only a pending entry can be confirmed or rejected (workflow.py); only a confirmed one counts.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role, User
from liaison.core import audit
from liaison.core.events import record_event
from liaison.core.images import reencode_image
from liaison.core.permissions import require
from liaison.directory.models import Deputy
from liaison.notifications.services import addresses, enqueue

from . import three
from .models import EntryKind, RecordEntry, RecordPhoto
from .workflow import MACHINE, Action

MAX_PHOTOS = 9
EARLIEST = date(2000, 1, 1)


def _photos(files: Iterable) -> list[bytes]:
    files = [f for f in files if f]
    if len(files) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(count)d photos per entry.") % {"count": MAX_PHOTOS}}
        )
    photos = []
    for upload in files:
        try:
            photos.append(reencode_image(upload.read(settings.PHOTO_MAX_BYTES + 1)))
        except ValidationError as invalid:
            raise ValidationError({"photos": invalid.messages}) from None
    return photos


@transaction.atomic
def add_entry(
    *,
    actor,
    deputy: Deputy,
    kind: str,
    date: date,
    title: str,
    description: str = "",
    photos: Iterable = (),
) -> RecordEntry:
    """Add an entry to a deputy's record; it waits for confirmation by staff."""
    require(
        actor,
        "deputy.speak_for",
        deputy,
        _("Your account may not add entries to this deputy's record."),
    )
    errors: dict[str, list] = {}
    title = (title or "").strip()
    if not title:
        errors.setdefault("title", []).append(_("Give the entry a title."))
    elif len(title) > 120:
        errors.setdefault("title", []).append(_("The title is at most 120 characters."))
    if kind not in EntryKind.values:
        errors.setdefault("kind", []).append(_("Choose one of the kinds."))
    if date is None:
        errors.setdefault("date", []).append(_("Give the date."))
    elif date > three.today():
        errors.setdefault("date", []).append(_("The date cannot be in the future."))
    elif date < EARLIEST:
        errors.setdefault("date", []).append(_("The date is too far in the past."))
    if errors:
        raise ValidationError(errors)
    images = _photos(photos)
    entry = RecordEntry.objects.create(
        deputy=deputy,
        kind=kind,
        date=date,
        title=title,
        description=(description or "").strip(),
        created_by=actor,
    )
    for number, data in enumerate(images, start=1):
        RecordPhoto.objects.create(entry=entry, image=ContentFile(data, name=f"{number}.jpg"))
    audit.record(
        "record_entry.added",
        actor=actor,
        obj=entry,
        deputy=deputy.pk,
        kind=kind,
        date=date.isoformat(),
        photos=len(images),
    )
    return entry


def _guard(entry: RecordEntry, action: str, actor) -> tuple[RecordEntry, str]:
    """Lock the entry, check who acts, then the table (workflow.py): ConcurrentChange when
    someone decided it since the caller read `entry`."""
    locked = MACHINE.lock(entry, "deputy")
    require(
        actor,
        "recordentry.change",
        locked,
        _("Your account may not confirm entries of this deputy's record."),
    )
    return locked, MACHINE.check(locked, action, entry.status)


def _tell_deputy(entry: RecordEntry, actor, body: str) -> None:
    """The deputy learns the decision in the app (and by e-mail if their account has one),
    unless they made it themselves — which they cannot — or staff entered and decided at once."""
    for user in User.objects.filter(role=Role.DEPUTY, deputy=entry.deputy, is_active=True):
        if user.pk == getattr(actor, "pk", None):
            continue
        for channel, recipient in addresses(user):
            enqueue(
                channel,
                recipient,
                body,
                subject=gettext("Your performance record"),
                dedupe_key=f"record-entry:{entry.pk}:{entry.status}:{channel}:{recipient}",
            )


@transaction.atomic
def confirm_entry(entry: RecordEntry, *, actor) -> RecordEntry:
    locked, to = _guard(entry, Action.CONFIRM, actor)
    from_state, locked.status = locked.status, to
    locked.confirmed_by, locked.confirmed_at = actor, timezone.now()
    locked.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    record_event(
        locked,
        "record_entry.confirmed",
        actor=actor,
        from_state=from_state,
        data={"deputy": locked.deputy_id},
    )
    with translation.override(settings.LANGUAGE_CODE):
        body = gettext("Your record entry “%(title)s” of %(day)s was confirmed.") % {
            "title": locked.title,
            "day": locked.date.isoformat(),
        }
        _tell_deputy(locked, actor, body)
    return locked


@transaction.atomic
def reject_entry(entry: RecordEntry, *, actor, reason: str) -> RecordEntry:
    locked, to = _guard(entry, Action.REJECT, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the entry is rejected.")})
    from_state, locked.status = locked.status, to
    locked.rejection_reason = reason
    locked.rejected_by, locked.rejected_at = actor, timezone.now()
    locked.save(
        update_fields=["status", "rejection_reason", "rejected_by", "rejected_at", "updated_at"]
    )
    record_event(
        locked,
        "record_entry.rejected",
        actor=actor,
        from_state=from_state,
        data={"deputy": locked.deputy_id, "reason": reason},
    )
    with translation.override(settings.LANGUAGE_CODE):
        body = gettext("Your record entry “%(title)s” of %(day)s was not confirmed: %(reason)s") % {
            "title": locked.title,
            "day": locked.date.isoformat(),
            "reason": reason,
        }
        _tell_deputy(locked, actor, body)
    return locked
