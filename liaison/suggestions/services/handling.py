"""Handling by the units: the joint and co-handling units' opinions (会办/协办意见) and the lead
unit's answer (答复)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import ACTIVE_STATES, Grade, Suggestion, SuggestionAssignment
from ..workflow import MACHINE, Action
from .deadlines import Role_, State
from .mechanics import (
    deputy_accounts,
    handlers_of,
    own_assignment,
    required_text,
    suggestion_event,
    tell,
)


@transaction.atomic
def send_opinion(suggestion: Suggestion, *, actor, text: str) -> SuggestionAssignment:
    """会办/协办意见 — a joint or co-handling unit's opinion, for the lead unit's answer."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the opinion.")})
    locked, _same = MACHINE.guard(suggestion, Action.OPINION)
    assignment = own_assignment(locked, actor, [Role_.JOINT, Role_.CO], [State.HANDLING])
    assignment.opinion, assignment.opinion_at = text, timezone.now()
    assignment.state = State.OPINION_SENT
    assignment.save(update_fields=["opinion", "opinion_at", "state", "updated_at"])
    event = suggestion_event(
        locked,
        "suggestion.opinion_sent",
        actor=actor,
        from_status=locked.status,
        assignment=assignment.pk,
    )
    lead = locked.assignments.filter(role=Role_.LEAD, state__in=ACTIVE_STATES).first()
    if lead is not None:
        with translation.override(settings.LANGUAGE_CODE):
            subject = gettext("Opinion received: %(number)s") % {"number": locked.number}
            body = gettext("%(unit)s sent its opinion on suggestion %(number)s.") % {
                "unit": assignment.department.name,
                "number": locked.number,
            }
        tell(handlers_of([lead.department_id]), event, subject, body)
    return assignment


@transaction.atomic
def answer_suggestion(
    suggestion: Suggestion,
    *,
    actor,
    grade: str,
    answer: str,
    achieved: str = "",
    grade_reasons: str = "",
    seen_status: str | None = None,
) -> Suggestion:
    """答复 — the lead unit's answer with its grade; D needs the reasons."""
    errors: dict[str, list] = {}
    if grade not in Grade.values:
        errors["grade"] = [_("Choose the grade of the answer.")]
    answer = required_text(answer, "answer", _("Write the answer."), errors)
    grade_reasons = (grade_reasons or "").strip()
    if grade == Grade.D and not grade_reasons:
        errors["grade_reasons"] = [_("Grade D needs the reasons it cannot be solved now.")]
    if errors:
        raise ValidationError(errors)
    locked, to = MACHINE.guard(suggestion, Action.ANSWER, seen_status)
    assignment = own_assignment(locked, actor, [Role_.LEAD], [State.HANDLING])
    now = timezone.now()
    assignment.state = State.ANSWERED
    assignment.save(update_fields=["state", "updated_at"])
    # The answer ends the other units' part: those that sent no opinion are closed, so that
    # they neither show as handling nor get reminders (also not in a re-answer round).
    silent = list(
        locked.assignments.select_for_update()
        .filter(role__in=[Role_.JOINT, Role_.CO], state__in=ACTIVE_STATES)
        .values_list("pk", "department_id")
    )
    SuggestionAssignment.objects.filter(pk__in=[pk for pk, _unit in silent]).update(
        state=State.NO_OPINION, updated_at=now
    )
    from_status, locked.status = locked.status, to
    locked.grade, locked.answer, locked.answered_at = grade, answer, now
    locked.achieved, locked.grade_reasons = (achieved or "").strip(), grade_reasons
    locked.save(
        update_fields=[
            "status",
            "grade",
            "answer",
            "answered_at",
            "achieved",
            "grade_reasons",
            "updated_at",
        ]
    )
    event = suggestion_event(
        locked,
        "suggestion.answered",
        actor=actor,
        from_status=from_status,
        is_public=True,
        grade=grade,
        round=locked.round,
        closed_without_opinion=[pk for pk, _unit in silent],
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Answer to your suggestion %(number)s") % {"number": locked.number}
        body = gettext(
            "%(unit)s answered suggestion %(number)s (grade %(grade)s). Please evaluate it."
        ) % {"unit": assignment.department.name, "number": locked.number, "grade": grade}
        closed_subject = gettext("Suggestion %(number)s answered") % {"number": locked.number}
        closed_body = gettext(
            "The lead unit answered suggestion %(number)s before your unit sent an opinion; "
            "your unit's part is closed."
        ) % {"number": locked.number}
    tell(deputy_accounts(locked, cosigners=True), event, subject, body)
    tell(handlers_of(unit for _pk, unit in silent), event, closed_subject, closed_body)
    return locked
