"""The deputy's evaluation (代表评价), key supervision (重点督办), the public's rating."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.cases.models import Rating
from liaison.core import audit
from liaison.core.errors import TransitionRefused
from liaison.core.permissions import may
from liaison.workdays.deadlines import (
    local_day,
)

from ..models import (
    Suggestion,
)
from ..workflow import Action
from .deadlines import REANSWER_MONTHS, Role_, State, months_due
from .mechanics import (
    check_transition,
    handlers_of,
    lock_suggestion,
    require_allowed,
    suggestion_event,
    tell,
)

# --- evaluation (代表评价) ----------------------------------------------------------------------


@transaction.atomic
def evaluate_suggestion(
    suggestion: Suggestion,
    *,
    actor,
    evaluation: str,
    note: str = "",
    seen_status: str | None = None,
) -> Suggestion:
    """满意 / 基本满意 close it; the first 不满意 sends it back to the lead unit for one new
    answer within a month, the second closes it unsatisfied."""
    if evaluation not in Rating.values:
        raise ValidationError({"evaluation": _("Choose 满意, 基本满意 or 不满意.")})
    locked = lock_suggestion(suggestion)
    again = evaluation == Rating.UNSATISFIED and locked.round == 1
    to = check_transition(locked, Action.REANSWER if again else Action.EVALUATE, seen_status)
    require_allowed(
        may(actor, "suggestion.speak_for_lead", locked),
        _("Only the lead deputy evaluates the answer."),
    )
    now = timezone.now()
    from_status, locked.status = locked.status, to
    note = (note or "").strip()
    fields = ["status", "evaluation", "evaluation_note", "evaluated_at", "updated_at"]
    locked.evaluation, locked.evaluation_note, locked.evaluated_at = evaluation, note, now
    data: dict = {"evaluation": evaluation, "round": locked.round}
    if again:
        lead = (
            locked.assignments.select_for_update()
            .filter(role=Role_.LEAD, state=State.ANSWERED)
            .order_by("-id")
            .first()
        )
        due_at = months_due(now, REANSWER_MONTHS)
        lead.state, lead.due_at, lead.change_until = State.HANDLING, due_at, now
        lead.save(update_fields=["state", "due_at", "change_until", "updated_at"])
        locked.round = 2
        fields.append("round")
        data["due_at"] = due_at.isoformat()
    else:
        locked.closed_at = now
        fields.append("closed_at")
    locked.save(update_fields=fields)
    verb = "suggestion.reanswer_requested" if again else "suggestion.evaluated"
    event = suggestion_event(
        locked, verb, actor=actor, from_status=from_status, note=note, is_public=True, **data
    )
    if again:
        with translation.override(settings.LANGUAGE_CODE):
            subject = gettext("New answer needed: %(number)s") % {"number": locked.number}
            body = gettext(
                "The deputy is not satisfied with the answer to %(number)s; a new answer is due "
                "by %(day)s."
            ) % {"number": locked.number, "day": local_day(lead.due_at).isoformat()}
        tell(handlers_of([lead.department_id]), event, subject, body)
    return locked


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
    locked = lock_suggestion(suggestion)
    check_transition(locked, Action.MARK_KEY, seen_status)
    require_allowed(may(actor, "suggestion.supervise", locked))
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


# --- the public's rating (办理结果网上评) ---------------------------------------------------


class AlreadyRated(TransitionRefused):
    code = "already_rated"


def rate_publicly(suggestion: Suggestion, *, rating: str, voter: str):
    """One rating per browser (`voter`: a hash of its random cookie) on an answered suggestion.
    The per-address rate limit is the view's (liaison.core.ratelimit)."""
    from ..models import PublicRating

    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose 满意, 基本满意 or 不满意.")})
    if not suggestion.is_public:
        raise TransitionRefused(_("Only answered suggestions can be rated."))
    try:
        with transaction.atomic():
            row = PublicRating.objects.create(suggestion=suggestion, rating=rating, voter=voter)
    except IntegrityError:
        raise AlreadyRated(_("You have rated this suggestion already.")) from None
    audit.record("suggestion.publicly_rated", obj=suggestion, rating=rating)
    return row
