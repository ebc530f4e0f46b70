"""The citizen's side after the answer: rating (满意 / 基本满意 / 不满意) and withdrawing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import require

from ..models import (
    ACTIVE_ASSIGNMENT_STATES,
    Assignment,
    Case,
    Rating,
)
from ..workflow import MACHINE, Action
from .mechanics import DUE_FIELDS, NOT_YOURS, _finish, _save, _set_due, case_event, days

# --- the citizen -------------------------------------------------------------------------------


@transaction.atomic
def rate_case(case: Case, *, rating: str, comment: str = "", via: str = "link") -> Case:
    """满意 / 基本满意 close the case; the first 不满意 sends it back for one re-handling round
    (重办), a second one closes it with the rating recorded. No login: the caller has checked the
    rating link's token."""
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose one of the ratings.")})
    comment = (comment or "").strip()
    locked = MACHINE.lock(case)
    rehandle = rating == Rating.UNSATISFIED and not locked.rehandled
    to = MACHINE.check(locked, Action.REHANDLE if rehandle else Action.RATE, case.status)
    now = timezone.now()
    from_status = locked.status
    if rehandle:
        locked.status, locked.rehandled = to, True
        _set_due(locked, now, days("CASE_ASSIGN_DAYS"))
        _save(locked, "rehandled", *DUE_FIELDS)
    else:
        fields = _finish(locked, to, now)
        locked.rating, locked.rated_at = rating, now
        _save(locked, "rating", "rated_at", *fields)
    case_event(
        locked,
        "case.rehandle_requested" if rehandle else "case.rated",
        actor=None,
        from_status=from_status,
        note=comment,
        rating=rating,
        via=via,
    )
    return locked


@transaction.atomic
def withdraw_case(case: Case, *, reason: str = "", actor=None) -> Case:
    """撤回 — the citizen may withdraw at any time before the case is closed."""
    locked = MACHINE.lock(case)
    to = MACHINE.check(locked, Action.WITHDRAW, case.status)
    if actor is not None:
        require(actor, "case.review", locked, NOT_YOURS)
    from_status = locked.status
    fields = _finish(locked, to, timezone.now())
    locked.assignments.filter(state__in=ACTIVE_ASSIGNMENT_STATES).update(
        state=Assignment.State.WITHDRAWN, updated_at=timezone.now()
    )
    _save(locked, *fields)
    case_event(
        locked,
        "case.withdrawn",
        actor=actor,
        from_status=from_status,
        label=gettext("Citizen"),
        note=(reason or "").strip(),
    )
    return locked
