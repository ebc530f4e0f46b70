"""Every change to a suggestion (docs/design.md, rule 1): `verb_suggestion(suggestion, *, …)`.

Each service, in one transaction: locks the suggestion row and checks the transition
(`workflow.MACHINE.guard`), asks the permission table who may act (`suggestions/permissions.py`
through `require()`), changes the rows with `save(update_fields=…)`, appends one
`SuggestionEvent` plus an audit event (`mechanics.suggestion_event`), and puts the messages to
the people concerned into the notification outbox (dedupe key = the event). Errors:
`TransitionRefused` (`ConcurrentChange` when someone acted in between), `NotAllowed` (role or
scope), `ValidationError` (bad input).

Who may act (docs/suggestions.md), as rows of the permission table:
- draft, edit, submit, withdraw, evaluate — `suggestion.speak_for_lead` (`deputy.speak_for` for a
  new draft): the lead deputy, or staff of a station the lead deputy sits in;
- confirm a co-signature (附议) — `cosigner.confirm`: only the co-signing deputy, from their own
  account;
- return, register, assign, decide on a change, mark as key — `suggestion.supervise`: committee
  staff whose region covers the lead deputy's region, administrators;
- ask for a change, send an opinion, answer — `suggestionassignment.handle`: handlers of the
  assigned unit.

One module per part of the handling: drafting (起草, 附议, 提交), checking (审查, 立案), assignment
(交办 and its changes), handling (意见, 答复), evaluation (代表评价, 重新办理), supervision
(重点督办), rating (网上评), deadlines; mechanics holds what they share.
"""

from .assignment import assign_suggestion, decide_change, request_change
from .checking import accept_suggestion, return_suggestion
from .deadlines import (
    CHANGE_WINDOW_DAYS,
    COMPLEX_MONTHS,
    HANDLING_MONTHS,
    REANSWER_MONTHS,
    Role_,
    State,
    add_months,
    change_window_end,
    months_due,
    open_assignments,
    recalculate_deadlines,
    years_in_use,
)
from .drafting import (
    MAX_COSIGNERS,
    confirm_signature,
    draft_suggestion,
    linkable_activities,
    linkable_cases,
    submit_suggestion,
    update_suggestion,
    withdraw_suggestion,
)
from .evaluation import evaluate_suggestion
from .handling import answer_suggestion, send_opinion
from .mechanics import assignable_units, deputy_accounts
from .rating import PUBLIC_RATINGS_PER_IP, AlreadyRated, rate_publicly, voter_hash
from .related import link_suggestions, unlink_suggestions
from .supervision import mark_key

__all__ = [
    "CHANGE_WINDOW_DAYS",
    "COMPLEX_MONTHS",
    "HANDLING_MONTHS",
    "MAX_COSIGNERS",
    "PUBLIC_RATINGS_PER_IP",
    "REANSWER_MONTHS",
    "AlreadyRated",
    "Role_",
    "State",
    "accept_suggestion",
    "add_months",
    "answer_suggestion",
    "assign_suggestion",
    "assignable_units",
    "change_window_end",
    "confirm_signature",
    "decide_change",
    "deputy_accounts",
    "draft_suggestion",
    "evaluate_suggestion",
    "link_suggestions",
    "linkable_activities",
    "linkable_cases",
    "mark_key",
    "months_due",
    "open_assignments",
    "rate_publicly",
    "recalculate_deadlines",
    "request_change",
    "return_suggestion",
    "send_opinion",
    "submit_suggestion",
    "unlink_suggestions",
    "update_suggestion",
    "voter_hash",
    "withdraw_suggestion",
    "years_in_use",
]
