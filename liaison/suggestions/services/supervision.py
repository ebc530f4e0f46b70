"""Key supervision (重点督办): the committee marks a suggestion for a leader's supervision; the
mark is public, taking it off is not."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import require

from ..models import Suggestion
from ..workflow import MACHINE, Action
from .mechanics import NOT_YOURS, suggestion_event


@transaction.atomic
def mark_key(
    suggestion: Suggestion, *, actor, is_key: bool, note: str = "", seen_status=None
) -> Suggestion:
    """重点督办 — supervised by a committee leader (the note names them)."""
    note = (note or "").strip()
    if is_key and not note:
        raise ValidationError({"note": _("Name the supervising leader.")})
    if len(note) > Suggestion._meta.get_field("key_note").max_length:
        raise ValidationError({"note": _("The note is too long.")})
    locked, _same = MACHINE.guard(suggestion, Action.MARK_KEY, seen_status)
    require(actor, "suggestion.supervise", locked, NOT_YOURS)
    locked.is_key, locked.key_note = is_key, note if is_key else ""
    locked.save(update_fields=["is_key", "key_note", "updated_at"])
    suggestion_event(
        locked,
        "suggestion.key_marked" if is_key else "suggestion.key_unmarked",
        actor=actor,
        from_status=locked.status,
        note=note,
        is_public=is_key,
    )
    return locked
