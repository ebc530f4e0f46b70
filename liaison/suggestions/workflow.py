"""The suggestion state machine, written out (docs/design.md, rule 2) — 代表建议的办理流程.

draft ─submit─▶ submitted ─accept─▶ accepted ─assign─▶ assigned ─answer─▶ answered ─eval─▶ closed
  │               │                                      ▲                   │
  │               └─return─▶ returned ─submit─┘          └─── re-answer ◀────┘ (不满意, once)
  └─withdraw─▶ withdrawn ◀─withdraw─ returned

Services ask `MACHINE.guard(suggestion, action, seen_status)`: it locks the row and returns the
target status, or refuses (liaison/core/statemachine.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.statemachine import StateMachine


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿（附议代表确认中）
    SUBMITTED = "submitted", _("Submitted, awaiting checking")  # 待审查
    RETURNED = "returned", _("Returned to the deputy")  # 退回修改
    ACCEPTED = "accepted", _("Registered, awaiting assignment")  # 已立案，待交办
    ASSIGNED = "assigned", _("Being handled")  # 办理中
    ANSWERED = "answered", _("Answered, awaiting the deputy's evaluation")  # 已答复，待评价
    CLOSED = "closed", _("Closed")  # 已办结
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 已撤回


FINAL = {Status.CLOSED, Status.WITHDRAWN}
EDITABLE = {Status.DRAFT, Status.RETURNED}


class Action(models.TextChoices):
    EDIT = "edit", _("edit")
    CONFIRM = "confirm", _("confirm a co-signature")  # 附议确认
    SUBMIT = "submit", _("submit")
    WITHDRAW = "withdraw", _("withdraw")
    RETURN = "return", _("return to the deputy")  # 退回
    ACCEPT = "accept", _("register")  # 立案
    ASSIGN = "assign", _("assign to handling units")  # 交办
    REQUEST_CHANGE = "request_change", _("ask to change the assignment")  # 申请调整
    DECIDE_CHANGE = "decide_change", _("decide on a change of assignment")
    OPINION = "opinion", _("send an opinion to the lead unit")  # 会办/协办意见
    ANSWER = "answer", _("answer")  # 答复
    EVALUATE = "evaluate", _("evaluate the answer")  # 代表评价
    REANSWER = "reanswer", _("send back for a new answer")  # 重新办理
    MARK_KEY = "mark_key", _("mark for key supervision")  # 重点督办


S, A = Status, Action
HANDLING_ONLY = (A.REQUEST_CHANGE, A.DECIDE_CHANGE, A.OPINION)

# (from status, action) → to status. Nothing else is allowed.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.RETURNED, A.EDIT): S.RETURNED,
    (S.DRAFT, A.CONFIRM): S.DRAFT,
    (S.RETURNED, A.CONFIRM): S.RETURNED,
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.RETURNED, A.SUBMIT): S.SUBMITTED,
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.RETURNED, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.RETURN): S.RETURNED,
    (S.SUBMITTED, A.ACCEPT): S.ACCEPTED,
    (S.ACCEPTED, A.ASSIGN): S.ASSIGNED,
    **{(S.ASSIGNED, action): S.ASSIGNED for action in HANDLING_ONLY},
    (S.ASSIGNED, A.ANSWER): S.ANSWERED,
    # 满意 / 基本满意, and 不满意 after the re-answer round, close it; evaluate decides.
    (S.ANSWERED, A.EVALUATE): S.CLOSED,
    (S.ANSWERED, A.REANSWER): S.ASSIGNED,
    **{(status, A.MARK_KEY): status for status in (S.ACCEPTED, S.ASSIGNED, S.ANSWERED)},
}


EVALUATED = _("You have already evaluated this answer. Thank you for your feedback.")
# What a refused action says (issue 16): {(action, status or ""): sentence}.
REFUSALS = {
    (A.EVALUATE, S.CLOSED): EVALUATED,
    (A.REANSWER, S.CLOSED): EVALUATED,
    (A.EVALUATE, ""): _(
        "This suggestion can be evaluated once it has been answered. It is now “%(status)s”."
    ),
    (A.REANSWER, ""): _(
        "This suggestion can be evaluated once it has been answered. It is now “%(status)s”."
    ),
    **{
        (action, status): _("This suggestion has been submitted: it can no longer be edited.")
        for action in (A.EDIT, A.CONFIRM, A.SUBMIT)
        for status in set(Status) - EDITABLE - FINAL
    },
    **{
        (action, status): _(
            "This suggestion is closed (“%(status)s”): nothing more can be done on it."
        )
        for action in set(Action) - {A.EVALUATE, A.REANSWER}
        for status in FINAL
    },
    (A.ANSWER, S.ANSWERED): _("This suggestion has been answered already."),
}

MACHINE = StateMachine(
    status=Status,
    action=Action,
    transitions=TRANSITIONS,
    refused_message=_("This step is not possible while the suggestion is “%(status)s”."),
    changed_message=_(
        "Someone else changed this suggestion in the meantime: it is now “%(status)s”. "
        "Please look at it again."
    ),
    changed_by_message=_(
        "%(who)s changed this suggestion in the meantime (%(when)s): it is now “%(status)s”. "
        "Please look at it again."
    ),
    refusals=REFUSALS,
    final=frozenset(FINAL),
)
target = MACHINE.target
allowed_actions = MACHINE.allowed_actions
