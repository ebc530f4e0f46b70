"""The answer to a citizen without a mobile (no SMS reaches them): staff print the reply letter
(reply_letter.py), record how the answer was delivered, and enter the rating the citizen gives
by phone or on the letter's return slip (`rate_case(..., actor=…)`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import require

from ..models import Case, CaseEvent, Delivery
from ..workflow import MACHINE, Action
from .mechanics import NOT_YOURS, case_event

ANSWER_VERBS = ("case.answered", "case.replied")


def answer_event(case: Case) -> CaseEvent | None:
    """The answer the citizen is to rate: the latest 答复, or the deputy's reply that settled the
    matter. None while the case has no answer."""
    for event in case.events.filter(verb__in=ANSWER_VERBS).order_by("-created_at", "-id"):
        if event.verb == "case.answered" or (event.data or {}).get("settled"):
            return event
    return None


@transaction.atomic
def record_delivery(case: Case, *, actor, how: str, note: str = "") -> Case:
    """送达 — how the answer reached the citizen: by post, handed over, or read out on the phone.
    Only recorded (the case stays answered, awaiting the rating); staff see it on the timeline."""
    if how not in Delivery.values:
        raise ValidationError({"how": _("Choose how the answer was delivered.")})
    locked = MACHINE.lock(case)
    MACHINE.check(locked, Action.RECORD_DELIVERY, case.status)
    require(actor, "case.deliver_answer", locked, NOT_YOURS)
    case_event(
        locked,
        "case.answer_delivered",
        actor=actor,
        from_status=locked.status,
        note=(note or "").strip(),
        is_public=False,
        how=how,
    )
    return locked
