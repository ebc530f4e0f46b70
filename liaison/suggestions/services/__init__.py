"""Every change to a suggestion (docs/design.md, rule 1): `verb_suggestion(suggestion, *, …)`.

Each service, in one transaction: locks the suggestion row, checks the transition
(`workflow.MACHINE`) and who may act (the permission table, `suggestions/permissions.py`), changes
the rows with `save(update_fields=…)`, appends one `SuggestionEvent` plus an audit event, and puts
the messages to the people concerned into the notification outbox (dedupe key = the event). Errors:
`TransitionRefused` (`ConcurrentChange` when someone acted in between), `NotAllowed` (role or
scope), `ValidationError` (bad input).

Who may act (docs/suggestions.md):
- draft, edit, submit, withdraw: the lead deputy, or staff of a station the lead deputy sits in;
- confirm a co-signature (附议): only the co-signing deputy, from their own account;
- return, register, assign, decide on a change, mark as key: committee staff whose region covers
  the lead deputy's region, administrators;
- ask for a change, send an opinion, answer: handlers of the assigned unit;
- evaluate: the lead deputy, or their station's staff entering it on their behalf.

One module per part of the handling; this package re-exports the services.
"""

from .assignment import assign_suggestion
from .checking import accept_suggestion, return_suggestion
from .deadlines import (
    CHANGE_WINDOW_DAYS,
    COMPLEX_MONTHS,
    HANDLING_MONTHS,
    MAX_COSIGNERS,
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
    confirm_signature,
    draft_suggestion,
    linkable_activities,
    linkable_cases,
    submit_suggestion,
    update_suggestion,
    withdraw_suggestion,
)
from .evaluation import AlreadyRated, evaluate_suggestion, mark_key, rate_publicly
from .handling import answer_suggestion, decide_change, request_change, send_opinion
from .mechanics import (
    assignable_units,
    check_transition,
    check_units,
    committee_of,
    deputy_accounts,
    handlers_of,
    lock_suggestion,
    require_allowed,
    required_text,
    suggestion_event,
    tell,
)

__all__ = [
    "CHANGE_WINDOW_DAYS",
    "COMPLEX_MONTHS",
    "HANDLING_MONTHS",
    "MAX_COSIGNERS",
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
    "check_transition",
    "check_units",
    "committee_of",
    "confirm_signature",
    "decide_change",
    "deputy_accounts",
    "draft_suggestion",
    "evaluate_suggestion",
    "handlers_of",
    "linkable_activities",
    "linkable_cases",
    "lock_suggestion",
    "mark_key",
    "months_due",
    "open_assignments",
    "rate_publicly",
    "recalculate_deadlines",
    "request_change",
    "require_allowed",
    "required_text",
    "return_suggestion",
    "send_opinion",
    "submit_suggestion",
    "suggestion_event",
    "tell",
    "update_suggestion",
    "withdraw_suggestion",
    "years_in_use",
]
