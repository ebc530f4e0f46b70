"""The activity's state machine, written out (docs/design.md, rule 2) — 活动的状态.

    draft ─announce─▶ announced ─hold─▶ held ─hold (edit the record)─▶ held
      │ change          │ change
      └────cancel───────┴──▶ cancelled

`change` (edit the plan: time, place, invitations) and a second `hold` keep the status: they are
in the table so that one guard checks every action (liaison/core/statemachine.py).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.statemachine import StateMachine

from .models import ActivityStatus as S


class Action(models.TextChoices):
    # Never shown: a refusal names the activity's status, not the action.
    ANNOUNCE = "announce"  # 线上预告
    CHANGE = "change"
    CANCEL = "cancel"
    HOLD = "hold"  # 记录活动: attendance, minutes, outcomes, photos


A = Action
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, A.ANNOUNCE): S.ANNOUNCED,
    (S.DRAFT, A.CHANGE): S.DRAFT,
    (S.DRAFT, A.CANCEL): S.CANCELLED,
    (S.ANNOUNCED, A.CHANGE): S.ANNOUNCED,
    (S.ANNOUNCED, A.CANCEL): S.CANCELLED,
    (S.ANNOUNCED, A.HOLD): S.HELD,
    (S.HELD, A.HOLD): S.HELD,
}

REFUSED = _("This activity is %(status)s; that is not possible now.")
# What a refused action says (issue 16): {(action, status or ""): sentence}.
REFUSALS = {
    (A.CHANGE, ""): _("A cancelled or held activity can no longer be changed."),
    (A.HOLD, ""): _("This activity is %(status)s; it cannot be recorded as held."),
    (A.CANCEL, S.CANCELLED): _("This activity has been cancelled already."),
    (A.CANCEL, S.HELD): _("This activity has taken place: it can no longer be cancelled."),
    (A.ANNOUNCE, S.ANNOUNCED): _("This activity has been announced already."),
}
MACHINE = StateMachine(
    status=S,
    action=Action,
    transitions=TRANSITIONS,
    refused_message=REFUSED,
    changed_by_message=_(
        "%(who)s changed this activity in the meantime (%(when)s): it is now %(status)s. "
        "Please look at it again."
    ),
    refusals=REFUSALS,
    final=frozenset({S.CANCELLED}),
)


def recording_open(activity, now=None) -> bool:
    """Whether minutes, attendance and opinions can be recorded now: the table allows `hold`
    (announced or held) and the activity has started. A held one always has: `hold_activity`
    refuses before the start."""
    now = now or timezone.now()
    return MACHINE.allows(activity.status, A.HOLD) and activity.starts_at <= now
