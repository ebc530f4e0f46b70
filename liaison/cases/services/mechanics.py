"""What every case service shares: the guard, the event, the clock, the texts to the citizen."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.events import record_event
from liaison.core.permissions import may, may_at_all
from liaison.notifications.services import insert_rows, sms_row
from liaison.workdays.deadlines import add_working_days

from ..models import (
    ACTIVE_ASSIGNMENT_STATES,
    Assignment,
    Case,
    CaseEvent,
)
from ..workflow import Status

MAX_EXTENSION_DAYS = 30
MAX_PHOTOS = 9
MAX_RESULT_ATTACHMENTS = 5
TRACKING_ATTEMPTS = 5
CONSENT_FIELDS = {"citizen_name", "citizen_phone"}


def days(name: str) -> int:
    """Working days a step may take: settings.CASE_*_DAYS, read on each call."""
    return int(getattr(settings, name))


# --- who may act -------------------------------------------------------------------------------

# The refusal every service gives when the permission table says no (`require(..., NOT_YOURS)`).
NOT_YOURS = _("Your account may not take this action on this case.")


def _department_assignment(user, case: Case, states: Iterable[str]) -> Assignment:
    """The assignment of `user`'s department that the action is about, locked: the lead part
    when the department holds both. Whose assignment it is, is the "assignment.handle" row."""
    if not may_at_all(user, "assignment.handle"):
        raise NotAllowed(_("Only the assigned department may take this action."))
    # A case has a handful of assignments; the table answers for each from its loaded fields.
    rows = case.assignments.filter(state__in=list(states)).order_by("role", "-id")
    ours = [a for a in rows.select_for_update() if may(user, "assignment.handle", a)]
    if ours:
        return ours[-1]  # "co" < "lead": the lead part when both exist
    active = case.assignments.filter(state__in=ACTIVE_ASSIGNMENT_STATES)
    current = [a for a in active if may(user, "assignment.handle", a)]
    if current:  # ours, but at another step (e.g. signed for already)
        raise TransitionRefused(
            _("Your department's assignment is “%(state)s”: this action is not possible.")
            % {"state": current[-1].get_state_display()}
        )
    raise NotAllowed(_("Your department has no open assignment for this case."))


# --- the mechanics every service shares --------------------------------------------------------


def _deputy_label(case: Case) -> str:
    return gettext("Deputy %(name)s") % {"name": case.deputy.name}


def case_event(
    case: Case,
    verb: str,
    *,
    actor,
    from_status: str,
    label: str | None = None,
    note: str = "",
    is_public: bool = True,
    new_aggregate: bool = False,
    **data,
) -> CaseEvent:
    return record_event(
        case,
        verb,
        actor=actor,
        from_state=from_status,
        label=label,
        note=note,
        public=is_public,
        data=data,
        new_aggregate=new_aggregate,
    )


def _set_due(case: Case, start: datetime | None, n: int | None, calendar=None) -> None:
    """Start the current step's clock: due at the end of the nth working day after `start`."""
    if start is None or n is None:
        case.due_at, case.due_provisional, case.due_from, case.due_days = None, False, None, None
        return
    deadline = add_working_days(start, n, calendar=calendar)
    case.due_at, case.due_provisional = deadline.due_at, deadline.provisional
    case.due_from, case.due_days = start, n


DUE_FIELDS = ["due_at", "due_provisional", "due_from", "due_days"]


def _save(case: Case, *fields: str) -> None:
    case.save(update_fields=["status", "updated_at", *fields])


def _finish(case: Case, status: Status, now: datetime) -> list[str]:
    """Final statuses stop the clock."""
    case.status = status
    case.closed_at = now
    _set_due(case, None, None)
    case.paused_at, case.paused_days_left = None, None
    return ["closed_at", "paused_at", "paused_days_left", *DUE_FIELDS]


def _sms(case: Case, event: CaseEvent, kind: str, url: str, *, key: str = "", **params) -> None:
    """The SMS `kind` (notifications/sms.py) to the citizen, in their language, once per event;
    `number` is the case's tracking number. A case entered without a mobile gets none."""
    if not case.citizen_phone:
        return
    with in_citizen_language(case):
        # The event is new, so is the key: one INSERT, without enqueue's read and savepoint.
        insert_rows(
            [
                sms_row(
                    case.citizen_phone,
                    kind,
                    {"number": case.tracking_number, "url": url, **params},
                    dedupe_key=f"case-event:{event.pk}:sms{key}",
                )
            ]
        )


def in_citizen_language(case: Case):
    return translation.override(case.language or settings.LANGUAGE_CODE)


def message_data(text: str) -> dict:
    """The event data for a message staff wrote to the citizen beside their internal note: only
    `data["to_citizen"]` reaches the public timeline for a staff action (CaseEvent.public_note)."""
    text = (text or "").strip()
    return {"to_citizen": text} if text else {}


def _text_required(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value
