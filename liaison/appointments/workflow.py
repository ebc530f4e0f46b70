"""The booking's state machine, written out (docs/design.md, rule 2) — 线上预约的状态.

pending ─book (SMS code)─▶ booked ─confirm─▶ confirmed ─attend─▶ attended
                             │  ▲               │
                             │  └─reschedule────┤  (the citizen moved it: confirmed again)
                             ├─cancel / no_show─┴─▶ cancelled / no_show ─attend─▶ attended
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.statemachine import StateMachine

from .models import AppointmentStatus as S


class Action(models.TextChoices):
    # Never shown: a refusal names the booking's status, not the action.
    BOOK = "book"
    CONFIRM = "confirm"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"
    MOVE = "move"  # the station moved it: the status stays
    NO_SHOW = "no_show"
    ATTEND = "attend"


A = Action
# Statuses that hold a place in their slot; OPEN ones can still be changed.
TAKEN = (S.BOOKED, S.CONFIRMED, S.ATTENDED, S.NO_SHOW)
OPEN = (S.BOOKED, S.CONFIRMED)

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PENDING, A.BOOK): S.BOOKED,
    (S.BOOKED, A.CONFIRM): S.CONFIRMED,
    **{(status, A.CANCEL): S.CANCELLED for status in OPEN},
    **{(status, A.RESCHEDULE): S.BOOKED for status in OPEN},
    **{(status, A.MOVE): status for status in OPEN},
    **{(status, A.NO_SHOW): S.NO_SHOW for status in OPEN},
    **{(status, A.ATTEND): S.ATTENDED for status in (*OPEN, S.NO_SHOW)},
}

REFUSED = _("This booking is “%(status)s”: it cannot be changed that way any more.")
TOOK_PLACE = _("This visit has been recorded already: the booking can no longer be changed.")
CANCELLED = _("This booking has been cancelled already. You can book a new time.")
# What a refused action says (issue 16): {(action, status or ""): sentence}.
REFUSALS = {
    (A.BOOK, S.BOOKED): _("This booking is made already."),
    (A.BOOK, S.CONFIRMED): _("This booking is made and confirmed already."),
    (A.CONFIRM, S.CONFIRMED): _("This booking has been confirmed already."),
    **{(action, S.CANCELLED): CANCELLED for action in Action},
    **{(action, S.ATTENDED): TOOK_PLACE for action in Action},
    (A.CANCEL, S.NO_SHOW): _(
        "This booking was marked as not attended: it can no longer be cancelled."
    ),
}
MACHINE = StateMachine(
    status=S,
    action=Action,
    transitions=TRANSITIONS,
    refused_message=REFUSED,
    refusals=REFUSALS,
    # A citizen's confirmation screen left open while the station acted (issue 16).
    changed_by_message=_(
        "%(who)s changed this booking in the meantime (%(when)s): it is now “%(status)s”."
    ),
    final=frozenset({S.CANCELLED, S.ATTENDED}),
)
