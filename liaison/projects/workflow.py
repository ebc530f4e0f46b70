"""The livelihood project's state machine (docs/design.md, rule 2) — 民生实事项目的状态.

    proposed ─open_vote─▶ voting ─adopt─▶ adopted ─accept─▶ completed
                             └───reject──▶ not_adopted

`vote` (one deputy's vote), `claim` (a deputy follows the project), `report` (a progress report)
and `rate` (a citizen's rating) keep the status: they are in the table so that one guard checks
every action. Whether closing the vote adopts or rejects is decided by the count
(`services.close_vote`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.statemachine import StateMachine

from .models import Status as S


class Action(models.TextChoices):
    OPEN_VOTE = "open_vote"
    VOTE = "vote"
    ADOPT = "adopt"
    REJECT = "reject"
    CLAIM = "claim"
    REPORT = "report"
    ACCEPT = "accept"
    RATE = "rate"
    LINK = "link"


A = Action
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PROPOSED, A.OPEN_VOTE): S.VOTING,
    (S.VOTING, A.VOTE): S.VOTING,
    (S.VOTING, A.ADOPT): S.ADOPTED,
    (S.VOTING, A.REJECT): S.NOT_ADOPTED,
    (S.ADOPTED, A.CLAIM): S.ADOPTED,
    (S.ADOPTED, A.REPORT): S.ADOPTED,
    (S.ADOPTED, A.ACCEPT): S.COMPLETED,
    (S.COMPLETED, A.RATE): S.COMPLETED,
    **{(status, A.LINK): status for status in S.values if status != S.NOT_ADOPTED},
}

REFUSED = _("This project is %(status)s; that is not possible now.")
REFUSALS = {
    (A.VOTE, ""): _("The vote on this project is not open."),
    (A.OPEN_VOTE, ""): _("The vote on this project has been opened already."),
    (A.CLAIM, ""): _("Only an adopted project under way can be claimed."),
    (A.REPORT, ""): _("Progress is reported on an adopted project under way only."),
    (A.RATE, ""): _("A project can be rated once it is completed and accepted."),
    (A.ACCEPT, S.COMPLETED): _("This project has been accepted already."),
}
MACHINE = StateMachine(
    status=S,
    action=Action,
    transitions=TRANSITIONS,
    refused_message=REFUSED,
    changed_by_message=_(
        "%(who)s changed this project in the meantime (%(when)s): it is now %(status)s. "
        "Please look at it again."
    ),
    refusals=REFUSALS,
    final=frozenset({S.NOT_ADOPTED}),
)
