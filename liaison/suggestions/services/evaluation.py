"""The deputy's evaluation (代表评价): it closes the suggestion, or the first 不满意 sends it back
to the lead unit for a new answer (重新办理)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.cases.models import Rating
from liaison.core.permissions import require
from liaison.workdays.deadlines import local_day

from ..models import Suggestion
from ..workflow import MACHINE, Action
from .deadlines import REANSWER_MONTHS, Role_, State, months_due
from .mechanics import handlers_of, suggestion_event, tell


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
    # Which action it is depends on the round, read under the lock.
    locked = MACHINE.lock(suggestion)
    again = evaluation == Rating.UNSATISFIED and locked.round == 1
    to = MACHINE.check(locked, Action.REANSWER if again else Action.EVALUATE, seen_status)
    require(
        actor,
        "suggestion.speak_for_lead",
        locked,
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
