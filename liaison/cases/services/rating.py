"""The citizen's side after the answer: rating (满意 / 基本满意 / 不满意) and withdrawing."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.events import actor_label
from liaison.core.permissions import require

from ..models import (
    ACTIVE_ASSIGNMENT_STATES,
    Assignment,
    Case,
    RatedVia,
    Rating,
)
from ..workflow import MACHINE, Action
from .mechanics import DUE_FIELDS, NOT_YOURS, _finish, _save, _set_due, case_event, days

# --- the citizen -------------------------------------------------------------------------------


@transaction.atomic
def rate_case(case: Case, *, rating: str, comment: str = "", via: str = "link", actor=None) -> Case:
    """满意 / 基本满意 close the case; the first 不满意 sends it back for one re-handling round
    (重办), a second one closes it with the rating recorded. No login (`actor=None`): the caller
    has checked the rating link's token. With `actor`, staff enter the rating a citizen gave by
    phone or on the reply letter's return slip (`via` one of RatedVia; the
    "case.deliver_answer" row)."""
    errors = {}
    if rating not in Rating.values:
        errors["rating"] = _("Choose one of the ratings.")
    if actor is not None and via not in RatedVia.values:
        errors["via"] = _("Choose how the citizen gave the rating.")
    if errors:
        raise ValidationError(errors)
    comment = (comment or "").strip()
    locked = MACHINE.lock(case)
    rehandle = rating == Rating.UNSATISFIED and not locked.rehandled
    to = MACHINE.check(locked, Action.REHANDLE if rehandle else Action.RATE, case.status)
    if actor is not None:
        require(actor, "case.deliver_answer", locked, NOT_YOURS)
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
    label = None
    if actor is not None:
        # The rating is the citizen's, whoever typed it in (stored in the site's language).
        with translation.override(settings.LANGUAGE_CODE):
            label = actor_label(None)
    case_event(
        locked,
        "case.rehandle_requested" if rehandle else "case.rated",
        actor=actor,
        from_status=from_status,
        label=label,
        note=comment,
        rating=rating,
        via=via,
        **({"entered_by_staff": True} if actor is not None else {}),
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
