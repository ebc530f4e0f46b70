"""A record entry's state machine (docs/design.md, rule 2) — 履职记录的审核:
pending ─confirm─▶ confirmed, pending ─reject─▶ rejected."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.statemachine import StateMachine

from .models import EntryStatus as S


class Action(models.TextChoices):
    # Never shown: a refusal names the entry's status, not the action.
    CONFIRM = "confirm"
    REJECT = "reject"


TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PENDING, Action.CONFIRM): S.CONFIRMED,
    (S.PENDING, Action.REJECT): S.REJECTED,
}

REFUSED = _("This entry is already “%(status)s”.")
MACHINE = StateMachine(
    status=S,
    action=Action,
    transitions=TRANSITIONS,
    refused_message=REFUSED,
    # Two reviewers at once: the second is told who decided (the entry's audit trail).
    changed_by_message=_(
        "%(who)s reviewed this entry in the meantime (%(when)s): it is now “%(status)s”."
    ),
    final=frozenset({S.CONFIRMED, S.REJECTED}),
)
