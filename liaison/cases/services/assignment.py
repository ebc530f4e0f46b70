"""Assignment (交办) by the committee: departments, extensions, 催办 and 督办."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import require
from liaison.directory.models import Department
from liaison.workdays.deadlines import Calendar, add_working_days

from ..models import (
    ACTIVE_ASSIGNMENT_STATES,
    Assignment,
    Case,
)
from ..selectors import department_handlers
from ..workflow import MACHINE, Action, Status
from .mechanics import (
    CONSENT_FIELDS,
    DUE_FIELDS,
    MAX_EXTENSION_DAYS,
    NOT_YOURS,
    _save,
    _set_due,
    case_event,
    days,
)

# --- assignment (交办) and the departments ----------------------------------------------------


def _validate_departments(case: Case, lead: Department, co: list[Department]) -> None:
    errors: dict[str, list] = {}
    for field, department in [("lead_department", lead)] + [("co_departments", d) for d in co]:
        if not department.is_active:
            errors.setdefault(field, []).append(
                _("%(department)s no longer takes assignments.") % {"department": department}
            )
        elif not case.region_path.startswith(department.region.path):
            errors.setdefault(field, []).append(
                _("%(department)s does not cover the case's area.") % {"department": department}
            )
    if lead.pk in {d.pk for d in co}:
        errors.setdefault("co_departments", []).append(
            _("The lead department cannot also be a co-handler.")
        )
    if len({d.pk for d in co}) != len(co):
        errors.setdefault("co_departments", []).append(_("A co-handler is listed twice."))
    if errors:
        raise ValidationError(errors)


def _validate_consent(consent, departments: list[Department]) -> dict:
    """What the citizen agreed to share, with whom, when and how — as data, for the timeline."""
    if not isinstance(consent, dict) or not str(consent.get("how", "")).strip():
        raise ValidationError(
            {"consent": _("Record how the citizen agreed to share their contact details.")}
        )
    what = consent.get("what") or sorted(CONSENT_FIELDS)
    if not set(what) <= CONSENT_FIELDS:
        raise ValidationError({"consent": _("Only the name and the phone can be shared.")})
    when = consent.get("when") or timezone.now()
    return {
        "what": sorted(what),
        "to": [d.name for d in departments],
        "when": when.isoformat() if isinstance(when, datetime) else str(when),
        "how": str(consent["how"]).strip(),
    }


def _previous_lead(case: Case) -> str:
    """原承办单位 — the lead department the case is taken from: the latest lead, whether it still
    holds the case (reassignment) or returned it. Never a co-handler: the withdrawn assignments
    list co-handlers first (Assignment ordering), so their first name is not the lead (issue 16).
    A lead that reported (a re-handling round) handed the case on and was not replaced: ""."""
    latest = (
        case.assignments.filter(role=Assignment.Role.LEAD)
        .select_related("department")
        .order_by("-created_at", "-id")
        .first()
    )
    replaced = {*ACTIVE_ASSIGNMENT_STATES, Assignment.State.RETURNED}
    return latest.department.name if latest and latest.state in replaced else ""


@transaction.atomic
def assign_case(
    case: Case,
    *,
    actor,
    lead_department: Department,
    co_departments: Iterable[Department] = (),
    share_contact: bool = False,
    consent: dict | None = None,
    instructions: str = "",
) -> Case:
    """交办/转办 to one lead department (主办) and optional co-handlers (协办). A reassignment
    withdraws the active assignments and keeps them as history."""
    co = list(co_departments)
    locked = MACHINE.lock(case)
    to = MACHINE.check(locked, Action.ASSIGN, case.status)
    require(actor, "case.supervise", locked, NOT_YOURS)
    _validate_departments(locked, lead_department, co)
    recorded_consent = _validate_consent(consent, [lead_department, *co]) if share_contact else None
    now = timezone.now()
    withdrawn = list(
        locked.assignments.filter(state__in=ACTIVE_ASSIGNMENT_STATES).select_related("department")
    )
    taken_from = _previous_lead(locked)
    Assignment.objects.filter(pk__in=[a.pk for a in withdrawn]).update(
        state=Assignment.State.WITHDRAWN, updated_at=now
    )
    calendar = Calendar()
    sign_due = add_working_days(now, days("CASE_SIGN_DAYS"), calendar=calendar)
    report_days = locked.category.handling_days or days("CASE_HANDLING_DAYS")
    report_due = add_working_days(now, report_days, calendar=calendar)
    for role, department in [(Assignment.Role.LEAD, lead_department)] + [
        (Assignment.Role.CO, d) for d in co
    ]:
        Assignment.objects.create(
            case=locked,
            department=department,
            role=role,
            state=Assignment.State.PENDING,
            round=2 if locked.rehandled else 1,
            contact_shared=bool(recorded_consent and "citizen_phone" in recorded_consent["what"]),
            name_shared=bool(recorded_consent and "citizen_name" in recorded_consent["what"]),
            sign_due_at=sign_due.due_at,
            report_due_at=report_due.due_at,
            report_days=report_days,
        )
    from_status, locked.status = locked.status, to
    _set_due(locked, now, days("CASE_SIGN_DAYS"), calendar=calendar)
    _save(locked, *DUE_FIELDS)
    case_event(
        locked,
        "case.assigned",
        actor=actor,
        from_status=from_status,
        note=gettext("Assigned to %(department)s.") % {"department": lead_department.name},
        lead=lead_department.name,
        co=[d.name for d in co],
        round=2 if locked.rehandled else 1,
        contact_shared=share_contact,
        consent=recorded_consent,
        withdrawn=[a.department.name for a in withdrawn],
        taken_from=taken_from,
        instructions=instructions,
    )
    return locked


@transaction.atomic
def decide_extension(
    case: Case,
    *,
    actor,
    assignment: Assignment,
    approve: bool,
    days_granted: int | None = None,
    note: str = "",
) -> Case:
    """The committee approves (the result is due N working days later) or refuses (unchanged)."""
    locked = MACHINE.lock(case)
    MACHINE.check(locked, Action.DECIDE_EXTENSION, case.status)
    require(actor, "case.supervise", locked, NOT_YOURS)
    assignment = (
        Assignment.objects.select_for_update()
        .filter(pk=assignment.pk, case=locked, state__in=ACTIVE_ASSIGNMENT_STATES)
        .first()
    )
    if assignment is None or not assignment.extension_requested_days:
        raise ValidationError({"assignment": _("There is no extension request to decide.")})
    granted = assignment.extension_requested_days if days_granted is None else days_granted
    if approve and (not isinstance(granted, int) or not 1 <= granted <= MAX_EXTENSION_DAYS):
        raise ValidationError(
            {"days_granted": _("Grant 1 to %(max)d working days.") % {"max": MAX_EXTENSION_DAYS}}
        )
    before = assignment.report_due_at
    assignment.extension_requested_days = None
    if approve:
        assignment.report_days += granted
        assignment.report_due_at = add_working_days(
            assignment.created_at, assignment.report_days
        ).due_at
    assignment.save(
        update_fields=["extension_requested_days", "report_days", "report_due_at", "updated_at"]
    )
    if approve and assignment.role == Assignment.Role.LEAD and locked.status == Status.IN_PROGRESS:
        _set_due(locked, assignment.created_at, assignment.report_days)
        locked.save(update_fields=[*DUE_FIELDS, "updated_at"])
    case_event(
        locked,
        "case.extension_approved" if approve else "case.extension_refused",
        actor=actor,
        from_status=locked.status,
        note=note,
        assignment=assignment.pk,
        days=granted if approve else 0,
        due_before=before.isoformat() if before else "",
        due_after=assignment.report_due_at.isoformat() if assignment.report_due_at else "",
    )
    return locked


@transaction.atomic
def release_co_handlers(case: Case, *, actor, note: str = "") -> Case:
    """The committee stops waiting for the co-handlers (协办) that have not reported (never
    signed, or signed and silent): their assignments end as released and the lead's report is
    no longer held (issue 16). Internal: the citizen's timeline does not show it."""
    locked = MACHINE.lock(case)
    MACHINE.check(locked, Action.RELEASE_CO_HANDLERS, case.status)
    require(actor, "case.release_co_handlers", locked, NOT_YOURS)
    awaited = list(
        Assignment.objects.select_for_update()
        .filter(case=locked, role=Assignment.Role.CO, state__in=ACTIVE_ASSIGNMENT_STATES)
        .select_related("department")
    )
    if not awaited:
        raise ValidationError(_("No co-handler is still awaited: there is nobody to release."))
    for assignment in awaited:
        assignment.state = Assignment.State.RELEASED
        assignment.save(update_fields=["state", "updated_at"])
    case_event(
        locked,
        "case.co_handlers_released",
        actor=actor,
        from_status=locked.status,
        note=note,
        is_public=False,
        released=[a.department.name for a in awaited],
    )
    return locked


@transaction.atomic
def urge_case(case: Case, *, actor, note: str = "") -> Case:
    """催办 — the committee reminds whoever has the case; recorded, nothing changes."""
    return _record_supervision(case, Action.URGE, "case.urged", actor=actor, note=note)


@transaction.atomic
def supervise_case(case: Case, *, actor, note: str = "") -> Case:
    """督办 — the committee puts the case under formal supervision; recorded."""
    return _record_supervision(case, Action.SUPERVISE, "case.supervised", actor=actor, note=note)


def _record_supervision(case: Case, action: Action, verb: str, *, actor, note: str) -> Case:
    locked = MACHINE.lock(case)
    MACHINE.check(locked, action, case.status)
    require(actor, "case.supervise", locked, NOT_YOURS)
    # Who is told (cases/notices.py) is written into the record itself.
    told = sorted({user.public_label for user in department_handlers(locked, active=True)})
    case_event(
        locked, verb, actor=actor, from_status=locked.status, note=note, is_public=False, told=told
    )
    return locked
