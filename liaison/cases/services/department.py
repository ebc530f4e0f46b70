"""The departments' side (承办单位): sign, return, ask for an extension, report the result."""

import os
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.errors import TransitionRefused
from liaison.core.images import reencode_image

from ..models import (
    ACTIVE_ASSIGNMENT_STATES,
    Assignment,
    Case,
    ResultAttachment,
)
from ..workflow import MACHINE, Action
from .mechanics import (
    DUE_FIELDS,
    MAX_EXTENSION_DAYS,
    MAX_RESULT_ATTACHMENTS,
    _department_assignment,
    _save,
    _set_due,
    _text_required,
    case_event,
    days,
)


@transaction.atomic
def sign_assignment(case: Case, *, actor) -> Case:
    """签收 — the department takes the assignment on (≤1 working day). The lead's signature starts
    the handling clock."""
    locked = MACHINE.lock(case)
    MACHINE.check_any(locked, [Action.SIGN, Action.CO_SIGN], case.status)
    assignment = _department_assignment(actor, locked, [Assignment.State.PENDING])
    lead = assignment.role == Assignment.Role.LEAD
    to = MACHINE.check(locked, Action.SIGN if lead else Action.CO_SIGN, case.status)
    assignment.state = Assignment.State.SIGNED
    assignment.save(update_fields=["state", "updated_at"])
    from_status, locked.status = locked.status, to
    if lead:
        _set_due(locked, assignment.created_at, assignment.report_days)
    _save(locked, *DUE_FIELDS)
    case_event(locked, "case.signed", actor=actor, from_status=from_status, role=assignment.role)
    return locked


@transaction.atomic
def return_assignment(case: Case, *, actor, reason: str) -> Case:
    """退回 — not ours: the lead's return sends the case back to the committee for reassignment."""
    reason = _text_required(reason, "reason", _("Say why the assignment is returned."))
    locked = MACHINE.lock(case)
    MACHINE.check_any(locked, [Action.RETURN, Action.CO_RETURN], case.status)
    assignment = _department_assignment(actor, locked, ACTIVE_ASSIGNMENT_STATES)
    lead = assignment.role == Assignment.Role.LEAD
    to = MACHINE.check(locked, Action.RETURN if lead else Action.CO_RETURN, case.status)
    assignment.state = Assignment.State.RETURNED
    assignment.save(update_fields=["state", "updated_at"])
    from_status, locked.status = locked.status, to
    if lead:
        _set_due(locked, timezone.now(), days("CASE_ASSIGN_DAYS"))
    _save(locked, *DUE_FIELDS)
    case_event(
        locked,
        "case.returned",
        actor=actor,
        from_status=from_status,
        note=reason,
        is_public=False,
        role=assignment.role,
    )
    return locked


@transaction.atomic
def request_extension(case: Case, *, actor, days_requested: int, reason: str) -> Case:
    """申请延期 — the department asks the committee for more working days."""
    reason = _text_required(reason, "reason", _("Say why more time is needed."))
    if not isinstance(days_requested, int) or not 1 <= days_requested <= MAX_EXTENSION_DAYS:
        raise ValidationError(
            {
                "days_requested": _("Ask for 1 to %(max)d working days.")
                % {"max": MAX_EXTENSION_DAYS}
            }
        )
    locked = MACHINE.lock(case)
    MACHINE.check(locked, Action.REQUEST_EXTENSION, case.status)
    assignment = _department_assignment(actor, locked, ACTIVE_ASSIGNMENT_STATES)
    if assignment.extension_requested_days:
        raise ValidationError({"days_requested": _("An extension request is already waiting.")})
    assignment.extension_requested_days = days_requested
    assignment.save(update_fields=["extension_requested_days", "updated_at"])
    case_event(
        locked,
        "case.extension_requested",
        actor=actor,
        from_status=locked.status,
        note=reason,
        is_public=False,
        assignment=assignment.pk,
        days=days_requested,
    )
    return locked


def result_attachment_max_bytes() -> int:
    """A PDF's size limit: twice a photo's (scanned documents run larger)."""
    return settings.PHOTO_MAX_BYTES * 2


def _read_attachments(files: list) -> list[tuple[str, str, bytes]]:
    """(original name, content type, content) for each file, or ValidationError on
    `attachments` listing every file that is refused. PDFs are recognised by their signature
    (never by name); anything else must be an image, which is re-encoded."""
    if len(files) > MAX_RESULT_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("Attach at most %(max)d files.") % {"max": MAX_RESULT_ATTACHMENTS}}
        )
    read, errors = [], []
    limit = result_attachment_max_bytes()
    for upload in files:
        name = os.path.basename(str(getattr(upload, "name", "") or ""))[:200] or "file"
        try:
            size = upload.size
            if size > limit:  # refused before it is even read
                raise ValidationError(
                    _("The file is too large (%(size)s); the limit is %(limit)s.")
                    % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
                )
            data = upload.read()
            if data.startswith(b"%PDF-"):
                read.append((name, "application/pdf", data))
                continue
            try:  # an image: checked by content and re-encoded (photo size limit)
                read.append((name, "image/jpeg", reencode_image(data, max_side=2000)))
            except ValidationError as invalid:
                if invalid.code == "photo_not_image":
                    raise ValidationError(
                        _("Attach PDF documents or photos (JPEG, PNG) only.")
                    ) from None
                raise
        except ValidationError as invalid:
            errors.extend(f"{name}: {message}" for message in invalid.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return read


def _hold_for_co_handlers(case: Case) -> None:
    """The lead's report closes the departments' part, so it waits for every co-handler to
    report (or return), unless the committee releases them (issue 16): a co-handler that never
    signed must not be passed over unseen."""
    awaited = Assignment.objects.filter(
        case=case, role=Assignment.Role.CO, state__in=ACTIVE_ASSIGNMENT_STATES
    ).select_related("department")
    names = [a.department.name for a in awaited]
    if names:
        raise TransitionRefused(
            _(
                "The result can be reported once the co-handling departments have reported: "
                "still awaited from %(departments)s. Ask them, or ask the committee to release "
                "them."
            )
            % {"departments": "、".join(names)},
            code="co_handlers_awaited",
        )


@transaction.atomic
def report_result(case: Case, *, actor, text: str, attachments: Iterable = ()) -> Case:
    """办理结果 — the lead department's report sends the case to the deputy, who answers the
    citizen within 15 working days. A co-handler's report is recorded for the lead.

    `attachments`: uploaded files (up to MAX_RESULT_ATTACHMENTS), PDFs or images; all are
    checked before anything is saved, and one refused file refuses the report."""
    text = _text_required(text, "text", _("Describe the result of the handling."))
    locked = MACHINE.lock(case)
    MACHINE.check_any(locked, [Action.REPORT, Action.CO_REPORT], case.status)
    assignment = _department_assignment(actor, locked, [Assignment.State.SIGNED])
    lead = assignment.role == Assignment.Role.LEAD
    to = MACHINE.check(locked, Action.REPORT if lead else Action.CO_REPORT, case.status)
    if lead:
        _hold_for_co_handlers(locked)
    files = _read_attachments(list(attachments))
    assignment.state, assignment.result = Assignment.State.REPORTED, text
    assignment.save(update_fields=["state", "result", "updated_at"])
    saved = [
        ResultAttachment.objects.create(
            case=locked,
            assignment=assignment,
            file=ContentFile(data, name=name),
            original_name=name,
            content_type=content_type,
            size=len(data),
        )
        for name, content_type, data in files
    ]
    from_status, locked.status = locked.status, to
    if lead:
        _set_due(locked, timezone.now(), days("CASE_ANSWER_DAYS"))
    _save(locked, *DUE_FIELDS)
    # The citizen sees that the department reported; the substance reaches them in the
    # deputy's answer, so the report itself stays internal.
    case_event(
        locked,
        "case.reported",
        actor=actor,
        from_status=from_status,
        role=assignment.role,
        result=text,
        attachments=[a.pk for a in saved],
    )
    return locked
