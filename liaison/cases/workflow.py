"""The case state machine, written out (docs/design.md, rule 2).

Statuses and the one table of allowed transitions, declared on the one engine
(liaison/core/statemachine.py). Services lock the row and check the action with `MACHINE.lock` and
`MACHINE.check` (or `check_any`); a refused transition raises `TransitionRefused` with a code the
API can return and a message people can read, `ConcurrentChange` when the case moved since the
caller saw it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.statemachine import StateMachine


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")  # 待审核
    NEEDS_INFO = "needs_info", _("Waiting for more information")  # 待补充 (clock paused)
    ACCEPTED = "accepted", _("Accepted, awaiting the deputy's reply")  # 已受理
    TO_ASSIGN = "to_assign", _("Awaiting assignment")  # 待交办
    ASSIGNED = "assigned", _("Assigned, awaiting sign-off")  # 已交办, 待签收
    IN_PROGRESS = "in_progress", _("Being handled by the department")  # 办理中
    FEEDBACK = "feedback", _("Department reported, awaiting the answer")  # 已反馈
    ANSWERED = "answered", _("Answered, awaiting the citizen's rating")  # 已答复
    CLOSED = "closed", _("Closed")  # 已办结
    REFERRED = "referred", _("Referred to the proper channel")  # 已引导
    REJECTED = "rejected", _("Not accepted")  # 不予受理
    MERGED = "merged", _("Merged into another case")  # 已合并
    WITHDRAWN = "withdrawn", _("Withdrawn by the citizen")  # 已撤回


FINAL = {Status.CLOSED, Status.REFERRED, Status.REJECTED, Status.MERGED, Status.WITHDRAWN}
OPEN = set(Status) - FINAL


class Action(models.TextChoices):
    ACCEPT = "accept", _("accept")
    REQUEST_INFO = "request_info", _("request more information")
    SUPPLEMENT = "supplement", _("add the requested information")
    MERGE = "merge", _("merge into another case")
    REJECT = "reject", _("reject")
    REFER = "refer", _("refer to the proper channel")
    REPLY_AND_CLOSE = "reply_and_close", _("reply and settle the matter")
    REPLY_AND_PROPOSE = "reply_and_propose", _("reply and propose assignment")
    ASSIGN = "assign", _("assign to a department")
    SIGN = "sign", _("sign for the assignment")
    RETURN = "return", _("return the assignment")
    REPORT = "report", _("report the result")
    ANSWER = "answer", _("answer the citizen")
    RATE = "rate", _("record the citizen's rating")
    REHANDLE = "rehandle", _("send back for re-handling")  # 重办
    AUTO_CLOSE = "auto_close", _("close without a rating")
    WITHDRAW = "withdraw", _("withdraw")
    # Actions that are recorded on the timeline but leave the status as it is.
    CO_SIGN = "co_sign", _("sign for a co-handling assignment")
    CO_RETURN = "co_return", _("return a co-handling assignment")
    CO_REPORT = "co_report", _("report a co-handler's contribution")
    # The committee stops waiting for co-handlers that never signed or reported (issue 16).
    RELEASE_CO_HANDLERS = "release_co_handlers", _("release the co-handlers")
    REQUEST_EXTENSION = "request_extension", _("request an extension")  # 申请延期
    DECIDE_EXTENSION = "decide_extension", _("decide on an extension")
    URGE = "urge", _("urge")  # 催办
    SUPERVISE = "supervise", _("supervise")  # 督办
    # How the answer reached a citizen without a mobile (reply letter by post, …): recorded.
    RECORD_DELIVERY = "record_delivery", _("record how the answer was delivered")


S, A = Status, Action

# Where a department is at work on the case.
HANDLING = {S.ASSIGNED, S.IN_PROGRESS}

# (from status, action) → to status. Nothing else is allowed. An entry whose target is its own
# source is an action that is only recorded; it is here so that one guard checks every action.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (S.SUBMITTED, A.ACCEPT): S.ACCEPTED,
    (S.SUBMITTED, A.REQUEST_INFO): S.NEEDS_INFO,
    (S.SUBMITTED, A.MERGE): S.MERGED,
    # A duplicate found after review (并案, or a hot topic handled together, issue 18) follows
    # the main case too, as long as no department has it yet.
    (S.ACCEPTED, A.MERGE): S.MERGED,
    (S.TO_ASSIGN, A.MERGE): S.MERGED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.SUBMITTED, A.REFER): S.REFERRED,
    (S.NEEDS_INFO, A.SUPPLEMENT): S.SUBMITTED,
    (S.NEEDS_INFO, A.REJECT): S.REJECTED,
    (S.ACCEPTED, A.REPLY_AND_CLOSE): S.ANSWERED,
    (S.ACCEPTED, A.REPLY_AND_PROPOSE): S.TO_ASSIGN,
    (S.TO_ASSIGN, A.ASSIGN): S.ASSIGNED,
    # Reassignment while a department has it: the old assignments are withdrawn.
    (S.ASSIGNED, A.ASSIGN): S.ASSIGNED,
    (S.IN_PROGRESS, A.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, A.SIGN): S.IN_PROGRESS,
    (S.ASSIGNED, A.RETURN): S.TO_ASSIGN,
    (S.IN_PROGRESS, A.RETURN): S.TO_ASSIGN,
    (S.IN_PROGRESS, A.REPORT): S.FEEDBACK,
    (S.FEEDBACK, A.ANSWER): S.ANSWERED,
    # 满意 / 基本满意, and 不满意 after the one re-handling round, close the case with the rating.
    (S.ANSWERED, A.RATE): S.CLOSED,
    # The first 不满意 sends the case back for one re-handling round (重办); rate_case decides.
    (S.ANSWERED, A.REHANDLE): S.TO_ASSIGN,
    (S.ANSWERED, A.AUTO_CLOSE): S.CLOSED,
    (S.ANSWERED, A.RECORD_DELIVERY): S.ANSWERED,
    **{(status, A.WITHDRAW): S.WITHDRAWN for status in OPEN},
    **{
        (status, action): status
        for status in HANDLING
        for action in (
            A.CO_SIGN,
            A.CO_RETURN,
            A.CO_REPORT,
            A.RELEASE_CO_HANDLERS,
            A.REQUEST_EXTENSION,
            A.DECIDE_EXTENSION,
        )
    },
    **{
        (status, action): status
        for status in OPEN - {S.SUBMITTED, S.NEEDS_INFO}
        for action in (A.URGE, A.SUPERVISE)
    },
}


ALREADY_RATED = _("You have already rated this reply. Thank you for your feedback.")
REVIEW_ACTIONS = (A.ACCEPT, A.REJECT, A.MERGE, A.REFER, A.REQUEST_INFO)
REVIEWED = _("This message has been reviewed already: it is now “%(status)s”.")

# What a refused action says (issue 16): {(action, status or ""): sentence}. The citizen's and the
# workers' words, never the internal names; anything else gets MACHINE's generic sentence.
REFUSALS = {
    (A.RATE, S.CLOSED): ALREADY_RATED,
    (A.REHANDLE, S.CLOSED): ALREADY_RATED,
    (A.RATE, ""): _("This message can be rated once it has been answered. It is now “%(status)s”."),
    (A.REHANDLE, ""): _(
        "This message can be rated once it has been answered. It is now “%(status)s”."
    ),
    **{
        (A.WITHDRAW, status): _(
            "This message is closed (“%(status)s”) and can no longer be withdrawn."
        )
        for status in FINAL
    },
    (A.SUPPLEMENT, ""): _(
        "No more information is needed for this message any more: it is now “%(status)s”."
    ),
    (A.ACCEPT, S.NEEDS_INFO): _(
        "This message is waiting for the citizen's information: it can be accepted once that "
        "has been added."
    ),
    # For any status (a stale form is told who changed the case instead).
    **{(action, ""): REVIEWED for action in REVIEW_ACTIONS},
    **{
        (action, status): _("This case is closed (“%(status)s”): nothing more can be done on it.")
        for action in set(Action) - {A.RATE, A.REHANDLE, A.WITHDRAW}
        for status in FINAL
    },
    (A.SIGN, ""): _("There is no assignment to sign for now: the case is “%(status)s”."),
    (A.CO_SIGN, ""): _("There is no assignment to sign for now: the case is “%(status)s”."),
    (A.REPORT, ""): _("No result can be reported now: the case is “%(status)s”."),
    (A.CO_REPORT, ""): _("No result can be reported now: the case is “%(status)s”."),
    (A.ANSWER, ""): _(
        "The citizen can be answered once the department has reported. The case is now "
        "“%(status)s”."
    ),
}

MACHINE = StateMachine(
    status=Status,
    action=Action,
    transitions=TRANSITIONS,
    refused_message=_("This step is not possible while the case is “%(status)s”."),
    changed_message=_(
        "Someone else changed this case in the meantime: it is now “%(status)s”. "
        "Please look at it again."
    ),
    changed_by_message=_(
        "%(who)s changed this case in the meantime (%(when)s): it is now “%(status)s”. "
        "Please look at it again."
    ),
    refusals=REFUSALS,
    final=frozenset(FINAL),
)
