"""Review (审核): accept, ask for more, supplement, reject, refer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import require
from liaison.directory.models import Deputy
from liaison.workdays.deadlines import working_days_between

from .. import links
from ..models import (
    Case,
    ReferralChannel,
    RejectReason,
)
from ..workflow import MACHINE, Action
from .mechanics import (
    DUE_FIELDS,
    NOT_YOURS,
    _finish,
    _save,
    _set_due,
    _sms,
    _text_required,
    case_event,
    days,
    in_citizen_language,
    message_data,
)

# --- review (审核) -----------------------------------------------------------------------------


@transaction.atomic
def accept_case(
    case: Case, *, actor, deputy: Deputy | None = None, note: str = "", to_citizen: str = ""
) -> Case:
    """受理. The deputy's reply is due within 3 working days. A message to the station as a whole
    is given to a deputy of the station here. `note` is internal; `to_citizen` is for the
    citizen."""
    locked = MACHINE.lock(case)
    to = MACHINE.check(locked, Action.ACCEPT, case.status)
    require(actor, "case.review", locked, NOT_YOURS)
    if deputy is not None:
        if not deputy.is_active or not deputy.stations.filter(pk=locked.station_id).exists():
            raise ValidationError({"deputy": _("This deputy does not sit in this station.")})
        locked.deputy = deputy
    if locked.deputy_id is None:
        raise ValidationError({"deputy": _("Choose the deputy who will reply.")})
    from_status, locked.status = locked.status, to
    _set_due(locked, timezone.now(), days("CASE_REPLY_DAYS"))
    _save(locked, "deputy", *DUE_FIELDS)
    case_event(
        locked,
        "case.accepted",
        actor=actor,
        from_status=from_status,
        note=note,
        **message_data(to_citizen),
    )
    return locked


@transaction.atomic
def request_info(case: Case, *, actor, reason: str) -> Case:
    """Ask the citizen for more; the clock stops and the working days left are kept."""
    reason = _text_required(reason, "reason", _("Tell the citizen what is missing."))
    locked = MACHINE.lock(case)
    to = MACHINE.check(locked, Action.REQUEST_INFO, case.status)
    require(actor, "case.review", locked, NOT_YOURS)
    now = timezone.now()
    left = max(working_days_between(now, locked.due_at), 0) if locked.due_at else None
    data = {"days_left": left, "due_at_before": locked.due_at.isoformat() if locked.due_at else ""}
    from_status, locked.status = locked.status, to
    locked.paused_at, locked.paused_days_left = now, left
    _set_due(locked, None, None)
    _save(locked, "paused_at", "paused_days_left", *DUE_FIELDS)
    event = case_event(
        locked, "case.info_requested", actor=actor, from_status=from_status, note=reason, **data
    )
    _sms(locked, event, "case_info_requested", links.tracking_url(locked))
    return locked


@transaction.atomic
def supplement_case(case: Case, *, text: str, actor=None) -> Case:
    """The citizen adds what was asked for; the clock resumes with the working days that were
    left at the pause (at least one, so that staff have a day to look at the answer)."""
    text = _text_required(text, "text", _("Please write the information that was asked for."))
    locked = MACHINE.lock(case)
    to = MACHINE.check(locked, Action.SUPPLEMENT, case.status)
    if actor is not None:
        require(actor, "case.review", locked, NOT_YOURS)
    now = timezone.now()
    left = max(locked.paused_days_left or 0, 1)
    paused_at = locked.paused_at
    from_status, locked.status = locked.status, to
    locked.paused_at, locked.paused_days_left = None, None
    _set_due(locked, now, left)
    _save(locked, "paused_at", "paused_days_left", *DUE_FIELDS)
    case_event(
        locked,
        "case.supplemented",
        actor=actor,
        from_status=from_status,
        label=gettext("Citizen") if actor is None else None,
        note=text,
        paused_at=paused_at.isoformat() if paused_at else "",
        days_left=left,
    )
    return locked


@transaction.atomic
def reject_case(case: Case, *, actor, reason: str, note: str = "", to_citizen: str = "") -> Case:
    """不予受理 — abusive, spam, empty, or nothing for a liaison station. `note` is internal;
    `to_citizen` is for the citizen."""
    if reason not in RejectReason.values:
        raise ValidationError({"reason": _("Choose a reason for not accepting the message.")})
    locked = MACHINE.lock(case)
    to = MACHINE.check(locked, Action.REJECT, case.status)
    require(actor, "case.review", locked, NOT_YOURS)
    from_status = locked.status
    fields = _finish(locked, to, timezone.now())
    _save(locked, *fields)
    case_event(
        locked,
        "case.rejected",
        actor=actor,
        from_status=from_status,
        note=note,
        reason=reason,
        **message_data(to_citizen),
    )
    return locked


@transaction.atomic
def refer_case(case: Case, *, actor, referral_channel: ReferralChannel, note: str = "") -> Case:
    """引导 — the matter belongs to another channel (courts, 纪检监察, 信访, 110…); the citizen
    receives the standard guidance."""
    if not referral_channel.is_active:
        raise ValidationError({"referral_channel": _("Choose one of the listed channels.")})
    locked = MACHINE.lock(case)
    to = MACHINE.check(locked, Action.REFER, case.status)
    require(actor, "case.review", locked, NOT_YOURS)
    from_status = locked.status
    fields = _finish(locked, to, timezone.now())
    locked.referral = referral_channel
    _save(locked, "referral", *fields)
    with in_citizen_language(locked):
        english = (translation.get_language() or "").startswith("en")
        guidance = (english and referral_channel.guidance_en) or referral_channel.guidance
    event = case_event(
        locked,
        "case.referred",
        actor=actor,
        from_status=from_status,
        note=guidance,
        referral=referral_channel.code,
        internal_note=note,
    )
    _sms(locked, event, "case_referred", links.tracking_url(locked))
    return locked
