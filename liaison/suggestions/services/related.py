"""关联建议 — link two suggestions as related from the similar-suggestion list of the review
screen (similar.py), the way cases are linked (cases/services/related.py): each keeps its own
handling; undone by unlinking. The committee that may register the suggestion links it
("suggestion.supervise"), to one it may see."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import may, require

from ..models import Suggestion, SuggestionLink
from .mechanics import suggestion_event

NOT_IN_SCOPE = _("No suggestion with this number in your scope.")
NOT_YOURS = _("Only the committee that registers this suggestion can link it.")


def _pair(a: Suggestion, b: Suggestion) -> tuple[int, int]:
    return (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)


def _check(suggestion: Suggestion, other, actor) -> tuple[Suggestion, Suggestion]:
    """Both rows locked in id order; the actor supervises the one acted from and sees the other."""
    if other is None:
        raise ValidationError({"other": NOT_IN_SCOPE})
    if other.pk == suggestion.pk:
        raise ValidationError({"other": _("A suggestion cannot be related to itself.")})
    pair = _pair(suggestion, other)
    rows = {s.pk: s for s in Suggestion.objects.select_for_update().filter(pk__in=pair)}
    locked, other_locked = rows[suggestion.pk], rows[other.pk]
    require(actor, "suggestion.supervise", locked, NOT_YOURS)
    if not may(actor, "suggestion.view", other_locked):
        raise ValidationError({"other": NOT_IN_SCOPE})  # not said to exist
    return locked, other_locked


def _label(s: Suggestion) -> str:
    return s.number or s.title


def _events(verb: str, locked: Suggestion, other: Suggestion, actor) -> None:
    for this, that in ((locked, other), (other, locked)):
        suggestion_event(this, verb, actor=actor, from_status=this.status, related=_label(that))


@transaction.atomic
def link_suggestions(suggestion: Suggestion, other: Suggestion, *, actor) -> SuggestionLink:
    """Link the two as related; an event `suggestion.linked` on both."""
    locked, other_locked = _check(suggestion, other, actor)
    first, second = _pair(locked, other_locked)
    if SuggestionLink.objects.filter(first_id=first, second_id=second).exists():
        raise ValidationError(
            {"other": _("%(number)s is already related.") % {"number": _label(other_locked)}}
        )
    link = SuggestionLink.objects.create(first_id=first, second_id=second)
    _events("suggestion.linked", locked, other_locked, actor)
    return link


@transaction.atomic
def unlink_suggestions(suggestion: Suggestion, other: Suggestion, *, actor) -> None:
    """Undo a link; an event `suggestion.unlinked` on both (the row goes, the events stay)."""
    locked, other_locked = _check(suggestion, other, actor)
    first, second = _pair(locked, other_locked)
    deleted, _rows = SuggestionLink.objects.filter(first_id=first, second_id=second).delete()
    if not deleted:
        raise ValidationError(
            {"other": _("%(number)s is not related.") % {"number": _label(other_locked)}}
        )
    _events("suggestion.unlinked", locked, other_locked, actor)
