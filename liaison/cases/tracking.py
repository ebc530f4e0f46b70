"""Tracking a case (查询留言): finding it by its number, the failed-try limits that keep numbers
from being guessed, and the public timeline. The citizen's pages and the public API share them."""

import re

from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from liaison.core import ratelimit

from . import selectors, verification
from .models import Case
from .workflow import Status

LANDLINE_PARTS = re.compile(r"^(0\d{2,3}-?\d{7,8})(-\d{1,6})?$")


def verb_label(verb: str) -> str:
    labels = {
        "case.submitted": _("Message received"),
        "case.accepted": _("Accepted by the station"),
        "case.info_requested": _("More information requested"),
        "case.supplemented": _("Information added"),
        "case.merged": _("Handled together with an earlier message"),
        "case.merge_received": _("Another citizen raised the same matter"),
        "case.rejected": _("Not accepted"),
        "case.referred": _("Referred to the proper channel"),
        "case.replied": _("The deputy replied"),
        "case.assigned": _("Assigned to a department"),
        "case.signed": _("The department took the matter on"),
        "case.reported": _("The department reported its result"),
        "case.answered": _("The deputy answered"),
        "case.rated": _("Rated"),
        "case.rehandle_requested": _("Not satisfied: handled once more"),
        "case.auto_closed": _("Closed (no rating given)"),
        "case.withdrawn": _("Withdrawn"),
        "case.extension_approved": _("More time granted to the department"),
        "case.extension_refused": _("Extension refused"),
        "case.deadline_recomputed": _("Due date recomputed (holiday schedule)"),
        # 线索移送: neutral words; the organisation only in the note, with consent to publish.
        "case.clue_transferred": _("Also passed on for legal supervision, with your consent"),
        "case.clue_feedback": _("Answer on the matter passed on"),
    }
    return labels.get(verb, _("Update"))


def find_case(number: str) -> Case | None:
    if len(number) != 10 or not number.isdigit():
        return None
    return (
        Case.objects.verified()
        .select_related("category", "station", "deputy")
        .filter(tracking_number=number)
        .first()
    )


def client_blocked(request) -> bool:
    """Too many failed tries from this client, with any number and either way (digits, code)."""
    return ratelimit.TRACKING_FAILURES_PER_IP.exceeded(ratelimit.client_ip(request))


def tracking_blocked(request, number: str) -> bool:
    """Whether the last-4 way is closed for `number` here. Only the last-4 way is closed per
    number: a guesser must not lock the owner out, and the SMS-code way reaches only the
    owner's phone (each code allows 5 tries; a phone gets a limited number of codes a day)."""
    return client_blocked(request) or ratelimit.TRACKING_FAILURES_PER_NUMBER.exceeded(number)


def count_failure(request, number: str) -> None:
    """A wrong last-4 try: counted for the client and for the number."""
    ratelimit.TRACKING_FAILURES_PER_IP.hit(ratelimit.client_ip(request))
    ratelimit.TRACKING_FAILURES_PER_NUMBER.hit(number)


def count_code_failure(request) -> None:
    """A wrong SMS code: counted for the client only (the code counts its own tries)."""
    ratelimit.TRACKING_FAILURES_PER_IP.hit(ratelimit.client_ip(request))


def code_requests_blocked(request) -> bool:
    """Too many SMS code requests, or failed tries, from this client: the one refusal of "send
    me a code", which depends on the client only and so tells nothing about the number."""
    return client_blocked(request) or ratelimit.CODE_REQUESTS_PER_IP.exceeded(
        ratelimit.client_ip(request)
    )


def hit_code_request(request) -> None:
    ratelimit.CODE_REQUESTS_PER_IP.hit(ratelimit.client_ip(request))


def send_tracking_code(request, number: str) -> str:
    """ "Send me a code" for `number`. The caller answers the same whatever happens here (after
    checking `code_requests_blocked`): an unknown number, a case without a mobile, a code asked
    again within the minute and a phone over its daily cap (`LIAISON_RATE_CODES_PER_PHONE`)
    all send nothing, silently. Returns the code sent (shown in demo mode only) or ""."""
    hit_code_request(request)
    case = find_case(number)
    if case is None:
        return ""
    try:
        return verification.send_code(case, verification.Purpose.TRACK)
    except ValidationError:  # too soon, or too many today: saying so would reveal the number
        return ""


def last4_matches(case: Case | None, last4: str) -> bool:
    """The mobile's last 4 digits; for a citizen without a mobile, the landline's. A case with
    neither opens with nothing (an empty number never matches)."""
    if case is None:
        return False
    phone = case.citizen_phone or landline_digits(case.citizen_landline)
    return len(phone) >= 4 and len(last4) == 4 and constant_time_compare(phone[-4:], last4)


def landline_digits(landline: str) -> str:
    """0571-87654321-123 → 057187654321: the number without its extension."""
    match = LANDLINE_PARTS.match(landline)
    return match.group(1).replace("-", "") if match else ""


def last4_closed_message() -> str:
    return _(
        "Too many wrong digits were typed for this number. Please try again in an hour, or ask "
        "for a code by text message below."
    )


def no_match_message() -> str:
    return _("The tracking number and the digits do not match. Please check both and try again.")


CITIZEN_VERBS = {"case.supplemented", "case.rated", "case.rehandle_requested", "case.withdrawn"}


# The citizen reads one line per stage of the handling (issue 16): a reassignment, a department
# returning the case, a request for more information answered, a co-handler's steps are
# corrections or internal detail to them, so only the latest line of each stage stays. A stage
# starts again after a 不满意 (re-handling round): that round is news to the citizen.
STAGES = {
    "case.submitted": "received",
    "case.info_requested": "review",
    "case.supplemented": "review",
    "case.accepted": "review",
    "case.rejected": "review",
    "case.referred": "review",
    "case.merged": "review",
    "case.merge_received": "merge",
    "case.replied": "reply",
    "case.assigned": "handling",
    "case.signed": "handling",
    "case.reported": "handling",
    "case.extension_approved": "deadline",
    "case.extension_refused": "deadline",
    "case.deadline_recomputed": "deadline",
    "case.answered": "answer",
    "case.rated": "rating",
    "case.rehandle_requested": "rating",
    "case.auto_closed": "rating",
    "case.withdrawn": "withdrawn",
}


def stage_lines(events: list) -> list:
    """The latest public event of each stage, in the order they happened. A co-handler's step
    (role "co") is left out: the lead department speaks for the handling. A verb no stage
    names is its own stage, so a new verb is never merged away unseen."""
    latest: dict[tuple, tuple] = {}
    round_ = 1
    for position, event in enumerate(events):  # oldest first
        if event.role == "co":
            continue
        latest[(round_, STAGES.get(event.verb, event.verb))] = (position, event)
        if event.verb == "case.rehandle_requested":
            round_ += 1
    return [event for _position, event in sorted(latest.values(), key=lambda kept: kept[0])]


def _what(event) -> str:
    if event.verb == "case.assigned" and event.department:
        return _("Passed to %(department)s for handling") % {"department": event.department}
    return verb_label(event.verb)


def public_timeline(case: Case, *, other_citizens: bool = False) -> list[dict]:
    """What the citizen's tracking page and the public API show: one line per stage
    (stage_lines); staff see every event (selectors.timeline(public=False))."""
    entries = []
    for event in stage_lines(selectors.timeline(case, public=True)):
        note = event.note  # already the public note (selectors.timeline)
        if other_citizens and event.verb in CITIZEN_VERBS:
            note = ""  # another citizen's words are theirs
        if event.verb == "case.assigned" and event.department:
            note = ""  # "Assigned to …": the line names the department already
        entries.append(
            {
                "at": event.created_at,
                "what": _what(event),
                "who": event.actor_label,
                "status": Status(event.to_status).label if event.to_status else "",
                "note": note,
                "verb": event.verb,
            }
        )
    return entries
