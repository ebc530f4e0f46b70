"""The activity's state machine, written out (docs/design.md, rule 2) — 活动的状态.

draft ─announce─▶ announced ─hold─▶ held ─hold (edit the record)─▶ held
  └──────cancel───────┴──▶ cancelled
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.statemachine import StateMachine

from .models import ActivityStatus as S


class Action(models.TextChoices):
    # Never shown: a refusal names the activity's status, not the action.
    ANNOUNCE = "announce"  # 线上预告
    CANCEL = "cancel"
    HOLD = "hold"  # 记录活动: minutes, attendance, photos


A = Action
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, A.ANNOUNCE): S.ANNOUNCED,
    (S.DRAFT, A.CANCEL): S.CANCELLED,
    (S.ANNOUNCED, A.CANCEL): S.CANCELLED,
    (S.ANNOUNCED, A.HOLD): S.HELD,
    (S.HELD, A.HOLD): S.HELD,
}

REFUSED = _("This activity is %(status)s; that is not possible now.")
MACHINE = StateMachine(
    status=S,
    action=Action,
    transitions=TRANSITIONS,
    refused_message=REFUSED,
    final=frozenset({S.CANCELLED}),
)
