"""关联留言 — link two cases as related (the same street, the same building, one matter seen from
two sides) without merging them: each keeps its citizen, its handling and its answer. Offered
beside "merge" in the similar-case list of the review screen; undone by unlinking."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import may, require

from ..models import Case, CaseLink
from .mechanics import NOT_YOURS, case_event

NOT_IN_SCOPE = _("No case with this number in your scope.")


def _pair(case: Case, other: Case) -> tuple[int, int]:
    return (case.pk, other.pk) if case.pk < other.pk else (other.pk, case.pk)


def _check(case: Case, other: Case, actor) -> tuple[Case, Case]:
    """Both rows locked (in id order, so two links of one pair cannot deadlock); the actor may
    review the case acted from and see the other."""
    if other is None:
        raise ValidationError({"other": NOT_IN_SCOPE})
    if other.pk == case.pk:
        raise ValidationError({"other": _("A case cannot be related to itself.")})
    rows = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=_pair(case, other))}
    locked, other_locked = rows[case.pk], rows[other.pk]
    require(actor, "case.review", locked, NOT_YOURS)
    if not may(actor, "case.view", other_locked):
        # Not "you may not": a case outside the scope is not said to exist.
        raise ValidationError({"other": NOT_IN_SCOPE})
    return locked, other_locked


def _events(verb: str, locked: Case, other: Case, actor, note: str) -> None:
    # Internal: the citizens' timelines say nothing of other people's messages.
    for this, that in ((locked, other), (other, locked)):
        case_event(
            this,
            verb,
            actor=actor,
            from_status=this.status,
            note=note,
            is_public=False,
            related=that.tracking_number,
        )


@transaction.atomic
def link_cases(case: Case, other: Case, *, actor, note: str = "") -> CaseLink:
    """Link `case` and `other` as related; an event `case.linked` on both."""
    locked, other_locked = _check(case, other, actor)
    first, second = _pair(locked, other_locked)
    if CaseLink.objects.filter(first_id=first, second_id=second).exists():
        raise ValidationError(
            {"other": _("%(number)s is already related.") % {"number": other.tracking_number}}
        )
    link = CaseLink.objects.create(first_id=first, second_id=second)
    _events("case.linked", locked, other_locked, actor, note)
    return link


@transaction.atomic
def unlink_cases(case: Case, other: Case, *, actor, note: str = "") -> None:
    """Undo a link; an event `case.unlinked` on both (the row goes, the events stay)."""
    locked, other_locked = _check(case, other, actor)
    first, second = _pair(locked, other_locked)
    deleted, _rows = CaseLink.objects.filter(first_id=first, second_id=second).delete()
    if not deleted:
        raise ValidationError(
            {"other": _("%(number)s is not related.") % {"number": other.tracking_number}}
        )
    _events("case.unlinked", locked, other_locked, actor, note)
