"""Every change to a case (docs/design.md, rule 1): `verb_case(case, *, actor, …)`.

Each service, in one transaction: locks the case row and checks the transition
(`workflow.MACHINE`), asks the permission table who may act (`cases/permissions.py`), changes the
case with `save(update_fields=…)`, appends one `CaseEvent`, and puts the citizen's text messages
into the notification outbox. The outbox row is written in the same transaction as the change (see
liaison/notifications/services.py), so a message exists if and only if the change was committed,
and the worker only ever sees committed rows; its `dedupe_key` names the event, so each event sends
each message once.

Errors: `TransitionRefused` (the status does not allow it; `ConcurrentChange` when someone else
changed the case since the caller read it), `NotAllowed` (role or scope), Django's
`ValidationError` (bad input, with field names). In every case nothing is written.

Who may act is the permission table (docs/permissions.md): `case.review` (accept, request info,
merge, reject, refer), `case.speak_for_deputy` (the deputy's reply and answer, also entered by the
case's station for a deputy who dictates by phone — recorded as such), `case.supervise` (assign,
decide extensions, urge, supervise), `assignment.handle` (the assigned department signs, returns,
requests an extension, reports); the citizen, who has no account (`actor=None`), supplements,
rates and withdraws — staff may enter a supplement or a withdrawal on their behalf, and
(`case.deliver_answer`) record how an answer reached a citizen without a mobile and enter the
rating they gave by phone or on the reply letter's return slip. The
configuration rows (`referralchannel.change`, `routingrule.change`) are administrators' only.

The services live in one module per part of the workflow; this package re-exports them.
"""

from .answer import answer_case, reply_case
from .assignment import (
    assign_case,
    decide_extension,
    release_co_handlers,
    supervise_case,
    urge_case,
)
from .delivery import answer_event, record_delivery
from .department import (
    report_result,
    request_extension,
    result_attachment_max_bytes,
    return_assignment,
    sign_assignment,
)
from .erasure import erase_personal_data
from .intake import confirm_phone, submit_case
from .mechanics import (
    CONSENT_FIELDS,
    DUE_FIELDS,
    MAX_EXTENSION_DAYS,
    MAX_PHOTOS,
    MAX_RESULT_ATTACHMENTS,
    TRACKING_ATTEMPTS,
    case_event,
    days,
    in_citizen_language,
)
from .merge import merge_case
from .rating import rate_case, withdraw_case
from .related import link_cases, unlink_cases
from .review import accept_case, refer_case, reject_case, request_info, supplement_case
from .support import support_case, tell_supporters
from .system import (
    auto_close_unrated,
    provisional_years,
    recalculate_deadlines,
    save_referral_channel,
    save_routing_rule,
)
from .together import handle_together

__all__ = [
    "CONSENT_FIELDS",
    "DUE_FIELDS",
    "MAX_EXTENSION_DAYS",
    "MAX_PHOTOS",
    "MAX_RESULT_ATTACHMENTS",
    "TRACKING_ATTEMPTS",
    "accept_case",
    "answer_case",
    "answer_event",
    "assign_case",
    "auto_close_unrated",
    "case_event",
    "confirm_phone",
    "days",
    "decide_extension",
    "erase_personal_data",
    "handle_together",
    "in_citizen_language",
    "link_cases",
    "merge_case",
    "provisional_years",
    "rate_case",
    "recalculate_deadlines",
    "record_delivery",
    "refer_case",
    "reject_case",
    "release_co_handlers",
    "reply_case",
    "report_result",
    "request_extension",
    "request_info",
    "result_attachment_max_bytes",
    "return_assignment",
    "save_referral_channel",
    "save_routing_rule",
    "sign_assignment",
    "submit_case",
    "supervise_case",
    "supplement_case",
    "support_case",
    "tell_supporters",
    "unlink_cases",
    "urge_case",
    "withdraw_case",
]
