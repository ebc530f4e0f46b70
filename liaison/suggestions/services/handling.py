"""Handling by the units: changes of assignment, opinions, the answer (答复)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.events import signed_in
from liaison.core.permissions import may
from liaison.directory.models import Department
from liaison.workdays.deadlines import (
    Calendar,
    local_day,
)

from ..models import (
    ACTIVE_STATES,
    Grade,
    Suggestion,
    SuggestionAssignment,
)
from ..workflow import Action
from .assignment import _new_assignment
from .deadlines import CHANGE_WINDOW_DAYS, COMPLEX_MONTHS, HANDLING_MONTHS, Role_, State, months_due
from .mechanics import (
    check_transition,
    check_units,
    committee_of,
    deputy_accounts,
    handlers_of,
    lock_suggestion,
    require_allowed,
    required_text,
    suggestion_event,
    tell,
)


def _own_assignment(locked: Suggestion, actor, roles, states) -> SuggestionAssignment:
    require_allowed(
        signed_in(actor) and actor.role == Role.DEPARTMENT_HANDLER,
        _("Only the assigned unit may take this action."),
    )
    mine = locked.assignments.select_for_update().filter(department_id=actor.department_id)
    assignment = mine.filter(role__in=roles, state__in=states).order_by("-id").first()
    if assignment is None:
        current = mine.filter(state__in=ACTIVE_STATES).first()
        if current is not None:
            raise TransitionRefused(
                _("Your unit's assignment is “%(state)s” (%(role)s): this action is not possible.")
                % {"state": current.get_state_display(), "role": current.get_role_display()}
            )
        raise NotAllowed(_("Your unit has no open assignment for this suggestion."))
    return assignment


@transaction.atomic
def request_change(suggestion: Suggestion, *, actor, reason: str) -> SuggestionAssignment:
    """申请调整 — the unit thinks the assignment is wrong; possible within 10 working days."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Explain why the assignment is wrong.")})
    locked = lock_suggestion(suggestion)
    check_transition(locked, Action.REQUEST_CHANGE, None)
    assignment = _own_assignment(locked, actor, Role_.values, [State.HANDLING])
    now = timezone.now()
    if now > assignment.change_until:
        raise TransitionRefused(
            _("A change could be asked for until %(day)s (%(days)d working days).")
            % {"day": local_day(assignment.change_until).isoformat(), "days": CHANGE_WINDOW_DAYS}
        )
    assignment.state, assignment.change_reason = State.CHANGE_REQUESTED, reason
    assignment.save(update_fields=["state", "change_reason", "updated_at"])
    event = suggestion_event(
        locked,
        "suggestion.change_requested",
        actor=actor,
        from_status=locked.status,
        note=reason,
        assignment=assignment.pk,
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Change of assignment asked: %(number)s") % {"number": locked.number}
        body = gettext("%(unit)s asks to change its assignment for %(number)s: %(reason)s") % {
            "unit": assignment.department.name,
            "number": locked.number,
            "reason": reason,
        }
    tell(committee_of(locked), event, subject, body)
    return assignment


@transaction.atomic
def decide_change(
    suggestion: Suggestion,
    *,
    actor,
    assignment: SuggestionAssignment,
    approve: bool,
    department: Department | None = None,
    note: str = "",
    seen_status: str | None = None,
) -> Suggestion:
    """The committee approves (the unit is withdrawn and, for the lead, a new one assigned with
    a fresh deadline and window) or refuses (the unit goes on handling it)."""
    locked = lock_suggestion(suggestion)
    check_transition(locked, Action.DECIDE_CHANGE, seen_status)
    require_allowed(may(actor, "suggestion.supervise", locked))
    row = locked.assignments.select_for_update().filter(pk=assignment.pk).first()
    if row is None or row.state != State.CHANGE_REQUESTED:
        raise TransitionRefused(_("No change of this assignment is waiting for a decision."))
    data: dict = {"assignment": row.pk, "approved": approve}
    if approve:
        taken = set(
            locked.assignments.filter(state__in=ACTIVE_STATES)
            .exclude(pk=row.pk)
            .values_list("department_id", flat=True)
        )
        if row.role == Role_.LEAD and department is None:
            raise ValidationError({"department": _("Choose the new lead unit.")})
        if department is not None and (
            department.pk in taken or department.pk == row.department_id
        ):
            raise ValidationError({"department": _("This unit already has a part in it.")})
        if department is not None and not department.is_active:
            raise ValidationError({"department": _("Every unit must be active.")})
        if department is not None:
            check_units(actor, {"department": [department]})
        row.state = State.WITHDRAWN
        row.save(update_fields=["state", "updated_at"])
        if department is not None:
            now = timezone.now()
            calendar = Calendar()
            months = COMPLEX_MONTHS if locked.is_complex else HANDLING_MONTHS
            new = _new_assignment(
                locked, department, row.role, now, months_due(now, months, calendar), calendar
            )
            data.update(new_assignment=new.pk, department=department.pk)
    else:
        row.state = State.HANDLING
        row.save(update_fields=["state", "updated_at"])
    event = suggestion_event(
        locked,
        "suggestion.change_decided",
        actor=actor,
        from_status=locked.status,
        note=note,
        **data,
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Change of assignment decided: %(number)s") % {"number": locked.number}
        body = (
            gettext("The change of assignment for %(number)s was approved.")
            if approve
            else gettext("The change of assignment for %(number)s was refused: keep handling it.")
        ) % {"number": locked.number}
    tell(
        handlers_of([row.department_id] + ([department.pk] if department else [])),
        event,
        subject,
        body,
    )
    return locked


@transaction.atomic
def send_opinion(suggestion: Suggestion, *, actor, text: str) -> SuggestionAssignment:
    """会办/协办意见 — a joint or co-handling unit's opinion, for the lead unit's answer."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the opinion.")})
    locked = lock_suggestion(suggestion)
    check_transition(locked, Action.OPINION, None)
    assignment = _own_assignment(locked, actor, [Role_.JOINT, Role_.CO], [State.HANDLING])
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
    locked = lock_suggestion(suggestion)
    to = check_transition(locked, Action.ANSWER, seen_status)
    assignment = _own_assignment(locked, actor, [Role_.LEAD], [State.HANDLING])
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
