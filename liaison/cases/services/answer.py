"""The deputy's reply (≤ 3 working days) and answer to the citizen (≤ 15 working days)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.core.permissions import require

from .. import links
from ..models import (
    Case,
    CaseEvent,
)
from ..workflow import MACHINE, Action
from .mechanics import (
    DUE_FIELDS,
    NOT_YOURS,
    _deputy_label,
    _save,
    _set_due,
    _sms,
    _text_required,
    case_event,
    days,
)
from .support import tell_supporters

# --- the deputy --------------------------------------------------------------------------------


def _answer_messages(case: Case, event: CaseEvent, text: str, *, merged: bool) -> None:
    """The answer reaches the citizen with the rating link, (for the department's answer)
    everyone whose message was merged into this case, and everyone who supported it (附议)."""
    from ..selectors import merged_cases

    _sms(case, event, "case_answered", links.rating_url(case))
    others = merged_cases(case)
    if not merged:
        # The supporters of merged cases hear of a settling reply too: they count on this case.
        tell_supporters(case, event, others)
        return
    for other in others:
        url = links.tracking_url(other)
        _sms(other, event, "case_answered_merged", url, key=f":merged:{other.pk}")
    tell_supporters(case, event, others)


@transaction.atomic
def reply_case(case: Case, *, actor, text: str, settle: bool) -> Case:
    """The deputy's first reply (≤3 working days), in their own words. `settle`: the reply settles
    the matter (the citizen is asked to rate it); otherwise the deputy proposes assignment."""
    text = _text_required(text, "text", _("Write the reply to the citizen."))
    locked = MACHINE.lock(case)
    action = Action.REPLY_AND_CLOSE if settle else Action.REPLY_AND_PROPOSE
    to = MACHINE.check(locked, action, case.status)
    require(actor, "case.speak_for_deputy", locked, NOT_YOURS)
    from_status, locked.status = locked.status, to
    if settle:
        _set_due(locked, timezone.now(), days("CASE_RATING_DAYS"))
    else:
        _set_due(locked, timezone.now(), days("CASE_ASSIGN_DAYS"))
    _save(locked, *DUE_FIELDS)
    event = case_event(
        locked,
        "case.replied",
        actor=actor,
        from_status=from_status,
        label=_deputy_label(locked),
        note=text,
        settled=settle,
        entered_by_staff=actor.role != Role.DEPUTY,
    )
    if settle:
        _answer_messages(locked, event, text, merged=False)
    else:
        url = links.tracking_url(locked)
        _sms(locked, event, "case_replied", url, name=locked.deputy.name)
    return locked


@transaction.atomic
def answer_case(case: Case, *, actor, text: str) -> Case:
    """答复 — the deputy answers the citizen after the department's feedback (≤15 working days);
    the citizen is asked to rate it within 10."""
    text = _text_required(text, "text", _("Write the answer to the citizen."))
    locked = MACHINE.lock(case)
    to = MACHINE.check(locked, Action.ANSWER, case.status)
    require(actor, "case.speak_for_deputy", locked, NOT_YOURS)
    from_status, locked.status = locked.status, to
    _set_due(locked, timezone.now(), days("CASE_RATING_DAYS"))
    _save(locked, *DUE_FIELDS)
    event = case_event(
        locked,
        "case.answered",
        actor=actor,
        from_status=from_status,
        label=_deputy_label(locked),
        note=text,
        entered_by_staff=actor.role != Role.DEPUTY,
    )
    _answer_messages(locked, event, text, merged=True)
    return locked
