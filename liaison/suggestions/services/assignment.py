"""Assignment (交办) to the lead, joint and co-handling units, and changes of it (申请调整): a
unit asks, the committee decides."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.errors import TransitionRefused
from liaison.core.permissions import require
from liaison.directory.models import Department
from liaison.workdays.deadlines import Calendar, local_day

from ..models import ACTIVE_STATES, Suggestion, SuggestionAssignment
from ..workflow import MACHINE, Action
from .deadlines import (
    CHANGE_WINDOW_DAYS,
    COMPLEX_MONTHS,
    HANDLING_MONTHS,
    Role_,
    State,
    change_window_end,
    months_due,
)
from .mechanics import (
    NOT_YOURS,
    check_units,
    committee_of,
    handlers_of,
    own_assignment,
    suggestion_event,
    tell,
)

# --- assignment (交办) -------------------------------------------------------------------------


def _new_assignment(suggestion, department, role, now, due_at, calendar) -> SuggestionAssignment:
    return SuggestionAssignment.objects.create(
        suggestion=suggestion,
        department=department,
        role=role,
        assigned_at=now,
        due_at=due_at,
        change_until=change_window_end(now, calendar),
    )


@transaction.atomic
def assign_suggestion(
    suggestion: Suggestion,
    *,
    actor,
    lead: Department | None,
    joint=(),
    co=(),
    is_complex: bool = False,
    seen_status: str | None = None,
) -> Suggestion:
    """交办 — exactly one lead unit (主办), any joint (会办) and co-handling (协办) units; answer
    due 3 months after today (6 when complex), on the next working day if that is a day off."""
    joint, co = list(dict.fromkeys(joint)), list(dict.fromkeys(co))
    errors: dict[str, list] = {}
    if lead is None:
        errors["lead"] = [_("Choose the lead unit.")]
    units = ([lead] if lead else []) + joint + co
    if len({d.pk for d in units}) != len(units):
        errors.setdefault("joint", []).append(_("Each unit can have one role only."))
    if any(not d.is_active for d in units):
        errors.setdefault("lead", []).append(_("Every unit must be active."))
    if errors:
        raise ValidationError(errors)
    locked, to = MACHINE.guard(suggestion, Action.ASSIGN, seen_status)
    require(actor, "suggestion.supervise", locked, NOT_YOURS)
    check_units(actor, {"lead": [lead], "joint": joint, "co": co})
    now = timezone.now()
    calendar = Calendar()
    due_at = months_due(now, COMPLEX_MONTHS if is_complex else HANDLING_MONTHS, calendar)
    for department, role in (
        [(lead, Role_.LEAD)] + [(d, Role_.JOINT) for d in joint] + [(d, Role_.CO) for d in co]
    ):
        _new_assignment(locked, department, role, now, due_at, calendar)
    from_status, locked.status = locked.status, to
    locked.assigned_at, locked.is_complex = now, is_complex
    locked.save(update_fields=["status", "assigned_at", "is_complex", "updated_at"])
    event = suggestion_event(
        locked,
        "suggestion.assigned",
        actor=actor,
        from_status=from_status,
        is_public=True,
        lead=lead.pk,
        joint=[d.pk for d in joint],
        co=[d.pk for d in co],
        due_at=due_at.isoformat(),
        complex=is_complex,
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("New suggestion to handle: %(number)s") % {"number": locked.number}
        body = gettext(
            "Suggestion %(number)s “%(title)s” was assigned to your unit; the answer is due by "
            "%(day)s. A wrong assignment can be contested within %(days)d working days."
        ) % {
            "number": locked.number,
            "title": locked.title,
            "day": local_day(due_at).isoformat(),
            "days": CHANGE_WINDOW_DAYS,
        }
    tell(handlers_of(d.pk for d in units), event, subject, body)
    return locked


# --- changes of assignment (申请调整) ---------------------------------------------------------


@transaction.atomic
def request_change(suggestion: Suggestion, *, actor, reason: str) -> SuggestionAssignment:
    """申请调整 — the unit thinks the assignment is wrong; possible within 10 working days."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Explain why the assignment is wrong.")})
    locked, _same = MACHINE.guard(suggestion, Action.REQUEST_CHANGE)
    assignment = own_assignment(locked, actor, Role_.values, [State.HANDLING])
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
    locked, _same = MACHINE.guard(suggestion, Action.DECIDE_CHANGE, seen_status)
    require(actor, "suggestion.supervise", locked, NOT_YOURS)
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
