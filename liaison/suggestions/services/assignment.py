"""Assignment (交办) to the lead, joint and co-handling units."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import may
from liaison.directory.models import Department
from liaison.workdays.deadlines import (
    Calendar,
    local_day,
)

from ..models import (
    Suggestion,
    SuggestionAssignment,
)
from ..workflow import Action
from .deadlines import (
    CHANGE_WINDOW_DAYS,
    COMPLEX_MONTHS,
    HANDLING_MONTHS,
    Role_,
    change_window_end,
    months_due,
)
from .mechanics import (
    check_transition,
    check_units,
    handlers_of,
    lock_suggestion,
    require_allowed,
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
    locked = lock_suggestion(suggestion)
    to = check_transition(locked, Action.ASSIGN, seen_status)
    require_allowed(may(actor, "suggestion.supervise", locked))
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
