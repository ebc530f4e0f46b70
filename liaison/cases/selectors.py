"""Reads about cases that need scoping or care: the timeline (and how staff read its events),
merged cases, the citizen's phone, the actions a page may offer, the routing suggestion."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role, User
from liaison.core import audit
from liaison.core.permissions import may, may_at_all
from liaison.directory.models import path_prefixes

from .models import (
    ACTIVE_ASSIGNMENT_STATES,
    Assignment,
    Case,
    CaseEvent,
    CaseLink,
    Delivery,
    RatedVia,
    RejectReason,
    RoutingRule,
)
from .queues import scoped_cases
from .workflow import MACHINE, Action, Status


@dataclass(frozen=True)
class PublicEvent:
    """One entry of the citizen's timeline: no account, no internal data, only the label; `note`
    is the event's public note (CaseEvent.public_note), never a staff note."""

    created_at: datetime
    verb: str
    actor_label: str
    from_status: str
    to_status: str
    note: str
    # For the citizen's one line per stage (tracking.public_timeline): the lead department a
    # case was passed to, and whether a department's step was the lead's or a co-handler's.
    department: str = ""
    role: str = ""


def timeline(case: Case, *, public: bool) -> list:
    """The case's events, oldest first. `public=True` is the citizen's view: internal events
    are left out and every event is a `PublicEvent` (who acted shows as a role, a station, a
    department or a deputy — never a staff member's name). Staff get the `CaseEvent` rows."""
    events = CaseEvent.objects.filter(case=case).order_by("created_at", "id")
    if not public:
        return list(events.select_related("actor"))
    return [
        PublicEvent(
            created_at=event.created_at,
            verb=event.verb,
            actor_label=event.actor_label,
            from_status=event.from_status,
            to_status=event.to_status,
            note=event.public_note,
            department=str((event.data or {}).get("lead") or "")
            if event.verb == "case.assigned"
            else "",
            role=str((event.data or {}).get("role") or ""),
        )
        for event in _public_events(case, events.filter(is_public=True))
    ]


MERGE_RECEIVED = "case.merge_received"


def _public_events(case: Case, events) -> list[CaseEvent]:
    """The public events, but of the "merge_received" ones — one per case merged into this
    one, thousands for a much-raised matter — only the latest of each round: the citizen reads
    one line per stage (tracking.stage_lines), so the page stays as fast as any other."""
    if case.raised_by <= 1:
        return list(events)
    rows = list(events.exclude(verb=MERGE_RECEIVED))
    bounds = [e.pk for e in rows if e.verb == "case.rehandle_requested"]
    for low, high in zip([0, *bounds], [*bounds, None], strict=True):
        merges = events.filter(verb=MERGE_RECEIVED, pk__gt=low)
        if high is not None:
            merges = merges.filter(pk__lt=high)
        latest = merges.order_by("-id").first()
        if latest is not None:
            rows.append(latest)
    return sorted(rows, key=lambda e: (e.created_at, e.pk))


def merged_cases(case: Case) -> list[Case]:
    """Every case merged into this one, also through cases merged into those (one query per
    level; chains are short)."""
    found: list[Case] = []
    level = [case.pk]
    seen = {case.pk}
    while level:
        rows = [c for c in Case.objects.filter(merged_into__in=level) if c.pk not in seen]
        found.extend(rows)
        seen.update(c.pk for c in rows)
        level = [c.pk for c in rows]
    return found


def related_cases(case: Case, user) -> list[Case]:
    """关联留言: the cases linked to this one (services.link_cases) that `user` may see — the
    permission table decides, so a linked case outside the scope is not shown — newest first.
    The links are read first (one query, none found for most cases) and then only those cases:
    asked in one query, PostgreSQL read every case of the viewer's scope to test each against
    the links (2,256 rows for a station at 10 M cases, a county's 100,000 for its committee)."""
    pairs = CaseLink.objects.filter(Q(first=case) | Q(second=case)).values_list(
        "first_id", "second_id"
    )
    linked = {pk for pair in pairs for pk in pair} - {case.pk}
    if not linked:
        return []
    return list(
        scoped_cases(user)
        .filter(pk__in=linked)
        .only("tracking_number", "title", "status", "created_at")
        .order_by("-created_at", "-id")
    )


def merged_count(case: Case) -> int:
    """How many people raised this matter: the case's own citizen and every merged one (the
    counter merge_case keeps: no rows read, however many were merged)."""
    return case.raised_by


def may_see_name(case: Case, user) -> bool:
    """The one rule for the citizen's name on every staff surface (the case page, the staff API,
    the admin, the reply letter): the "case.see_name" row of the permission table — a
    confidential name only for who calls back, a department's only with the citizen's consent
    to share it. Administrators are not in the row (they see nothing confidential): the admin
    shows them a name the citizen did not ask to keep confidential."""
    if getattr(user, "is_administrator", False):
        return not case.confidential
    return may(user, "case.see_name", case)


def citizen_name(case: Case, user) -> str:
    """The name as `user` may see it: in full, or why it is not shown."""
    if may_see_name(case, user):
        return case.citizen_name
    if case.confidential:
        return gettext("(confidential)")
    return gettext("(not shared with your department)")


def citizen_phone(case: Case, user, *, surface: str) -> str:
    """The phone as `user` may see it (PIPL: the full number only for who must call the citizen
    back, the "case.see_full_phone" row); every full view is written to the audit log."""
    return citizen_contact(case, user, surface=surface)["phone"]


def may_see_contact(case: Case, user) -> bool:
    """The one rule for the mobile, the landline and the postal address: who must reach the
    citizen ("case.see_full_phone": the station, the deputy, a department with the citizen's
    consent; never an administrator)."""
    return may(user, "case.see_full_phone", case)


def citizen_contact(case: Case, user, *, surface: str) -> dict:
    """The mobile, the landline and the postal address as `user` may see them: in full only for
    who must reach the citizen (may_see_contact; the view is written to the personal-data access
    log with the `surface` it was shown on), else the numbers masked and the address withheld."""
    if not may_see_contact(case, user):
        return {"phone": case.masked_phone, "landline": case.masked_landline, "address": ""}
    audit.record("case.phone_viewed", actor=user, obj=case, surface=surface)
    return {
        "phone": case.citizen_phone,
        "landline": case.citizen_landline,
        "address": case.citizen_address,
    }


# Which row of the permission table lets a person offer each step; the departments' steps are
# theirs through "assignment.handle" and depend on where their own assignment stands.
ACTION_PERMISSIONS = {
    Action.ACCEPT: "case.review",
    Action.REQUEST_INFO: "case.review",
    Action.MERGE: "case.review",
    Action.REJECT: "case.review",
    Action.REFER: "case.review",
    Action.SUPPLEMENT: "case.review",  # entered for the citizen (phone, letter)
    Action.WITHDRAW: "case.review",
    Action.REPLY_AND_CLOSE: "case.speak_for_deputy",
    Action.REPLY_AND_PROPOSE: "case.speak_for_deputy",
    Action.ANSWER: "case.speak_for_deputy",
    Action.ASSIGN: "case.supervise",
    Action.DECIDE_EXTENSION: "case.supervise",
    Action.URGE: "case.supervise",
    Action.SUPERVISE: "case.supervise",
    Action.RELEASE_CO_HANDLERS: "case.release_co_handlers",
    # For a citizen without the SMS link (a letter, a landline): staff deliver and enter.
    Action.RECORD_DELIVERY: "case.deliver_answer",
    Action.RATE: "case.deliver_answer",
}
DEPARTMENT_STEPS = {
    Action.SIGN: ["pending"],
    Action.CO_SIGN: ["pending"],
    Action.RETURN: ACTIVE_ASSIGNMENT_STATES,
    Action.CO_RETURN: ACTIVE_ASSIGNMENT_STATES,
    Action.REQUEST_EXTENSION: ACTIVE_ASSIGNMENT_STATES,
    Action.REPORT: ["signed"],
    Action.CO_REPORT: ["signed"],
}


def staff_actions(case: Case, user) -> set[str]:
    """The actions a staff page may offer `user` on `case` now (which buttons to show). The
    services check again when the action is taken; this only spares people a refusal."""
    roles = {}
    if may_at_all(user, "assignment.handle"):
        # Role → state of the department's own assignments, the latest of each role last.
        roles = {
            a.role: a.state for a in case.assignments.all() if may(user, "assignment.handle", a)
        }
    offered = set()
    for action in MACHINE.allowed_actions(case.status):
        if action == Action.RELEASE_CO_HANDLERS and not awaited_co_handlers(case):
            continue  # nothing to release
        if action in ACTION_PERMISSIONS and may(user, ACTION_PERMISSIONS[action], case):
            offered.add(action.value)
        elif action in DEPARTMENT_STEPS:
            wanted_role = "co" if action.value.startswith("co_") else "lead"
            if action == Action.REQUEST_EXTENSION:
                wanted_role = next(iter(roles), "")
            if roles.get(wanted_role) in DEPARTMENT_STEPS[action]:
                offered.add(action.value)
    return offered


def awaited_co_handlers(case: Case) -> list[Assignment]:
    """The co-handlers (协办) the lead's report waits for: assigned and not yet reported,
    returned or released (issue 16)."""
    return [
        a
        for a in case.assignments.all()  # prefetched by the staff page (staff_views._detail)
        if a.role == Assignment.Role.CO and a.state in ACTIVE_ASSIGNMENT_STATES
    ]


def suggested_departments(case: Case) -> list[tuple]:
    """The routing rules' suggestion (分办建议) for assigning `case`: [(department, role), …],
    the lead first, then the co-handlers by priority. One query.

    Only active rules of the case's category whose department is active and covers the case
    count. The rules of the most specific region win: a street's rules replace the district's,
    which replace the rules for everywhere (no region). Within that region the lead rule with
    the lowest priority number gives the lead; every co rule there adds a co-handler."""
    prefixes = path_prefixes(case.region_path)
    rules = (
        RoutingRule.objects.filter(
            Q(region__isnull=True) | Q(region__path__in=prefixes),
            category_id=case.category_id,
            is_active=True,
            department__is_active=True,
            department__region__path__in=prefixes,
        )
        .select_related("department", "region")
        .order_by("priority", "id")
    )
    rules = list(rules)
    if not rules:
        return []
    depth = max(len(rule.region.path) if rule.region else 0 for rule in rules)
    winning = [r for r in rules if (len(r.region.path) if r.region else 0) == depth]
    lead = next((r.department for r in winning if r.role == Assignment.Role.LEAD), None)
    suggestion = [(lead, Assignment.Role.LEAD)] if lead else []
    seen = {lead.pk} if lead else set()
    for rule in winning:
        if rule.role == Assignment.Role.CO and rule.department.pk not in seen:
            seen.add(rule.department.pk)
            suggestion.append((rule.department, Assignment.Role.CO))
    return suggestion


def clock_resumed(case: Case, events: list | None = None) -> dict | None:
    """When the current deadline was restarted after a pause for the citizen's information:
    when the clock stopped, when it resumed and how many working days were left. One query,
    none given the case's `events` (its staff timeline, oldest first)."""
    if case.due_from is None:
        return None
    if events is None:
        supplemented = case.events.filter(verb="case.supplemented")
        event = supplemented.order_by("-created_at", "-id").first()
    else:
        event = next((e for e in reversed(events) if e.verb == "case.supplemented"), None)
    if event is None or abs((event.created_at - case.due_from).total_seconds()) > 60:
        return None
    paused_at = event.data.get("paused_at")
    return {
        "paused_at": datetime.fromisoformat(paused_at) if paused_at else None,
        "resumed_at": event.created_at,
        "days_left": event.data.get("days_left"),
    }


# --- the staff timeline, as the staff page and the staff API show it ---------------------------

EVENT_LABELS = {
    "case.submitted": _("Submitted"),
    "case.accepted": _("Accepted"),
    "case.info_requested": _("More information requested"),
    "case.supplemented": _("Information added"),
    "case.merged": _("Merged into another case"),
    "case.merge_received": _("Another case merged into this one"),
    "case.handled_together": _("Handled together with a hot topic's cases"),
    "case.rejected": _("Not accepted"),
    "case.referred": _("Referred to the proper channel"),
    "case.replied": _("Deputy replied"),
    "case.assigned": _("Assigned"),
    "case.signed": _("Signed for"),
    "case.returned": _("Assignment returned"),
    "case.extension_requested": _("Extension requested"),
    "case.extension_approved": _("Extension approved"),
    "case.extension_refused": _("Extension refused"),
    "case.urged": _("Urged"),
    "case.co_handlers_released": _("Co-handlers released"),
    "case.supervised": _("Put under supervision"),
    "case.reported": _("Result reported"),
    "case.answered": _("Answered"),
    "case.rated": _("Rated"),
    "case.rehandle_requested": _("Unsatisfied: sent back for re-handling"),
    "case.auto_closed": _("Closed without a rating"),
    "case.withdrawn": _("Withdrawn"),
    # 线索移送 (liaison/clues): a side record, the case's status does not change.
    "case.clue_transferred": _("Forwarded to the procuratorate as a public-interest clue"),
    "case.clue_feedback": _("Procuratorate's feedback on the clue recorded"),
    "case.deadline_recomputed": _("Deadline recomputed"),
    "case.answer_delivered": _("Answer delivered"),
    "case.linked": _("Linked as related"),
    "case.unlinked": _("No longer related"),
}


def event_label(event: CaseEvent):
    return EVENT_LABELS.get(event.verb, event.verb)


LINK_VERBS = ("case.linked", "case.unlinked")


def hidden_related(events, user) -> set[str]:
    """The related cases named by link events that `user` may not see (one query, none without
    such events): their numbers are not shown."""
    numbers = {e.data.get("related") for e in events if e.verb in LINK_VERBS and e.data}
    numbers.discard(None)
    if not numbers:
        return set()
    visible = scoped_cases(user).filter(tracking_number__in=numbers)
    return numbers - set(visible.values_list("tracking_number", flat=True))


def event_details(event: CaseEvent, hidden: set[str] = frozenset()) -> list[str]:
    """The parts of an event's data that staff need to read, as short lines (`hidden`: related
    case numbers outside the reader's scope, hidden_related)."""
    data, lines = event.data or {}, []
    if event.verb == "case.rejected" and data.get("reason") in RejectReason.values:
        lines.append(RejectReason(data["reason"]).label)
    if data.get("into"):
        lines.append(gettext("Main case: %(number)s") % {"number": data["into"]})
    if data.get("related") in hidden:
        lines.append(gettext("Related case: one outside your scope"))
    elif data.get("related"):
        lines.append(gettext("Related case: %(number)s") % {"number": data["related"]})
    if data.get("merged"):
        lines.append(gettext("Merged case: %(number)s") % {"number": data["merged"]})
    if data.get("co"):
        lines.append(gettext("Co-handlers: %(names)s") % {"names": ", ".join(data["co"])})
    if data.get("released"):
        names = ", ".join(data["released"])
        lines.append(gettext("No longer awaited: %(names)s") % {"names": names})
    if "taken_from" in data:
        if data["taken_from"]:
            lines.append(gettext("Taken from: %(names)s") % {"names": data["taken_from"]})
        co = [name for name in data.get("withdrawn", []) if name != data["taken_from"]]
        if co:
            lines.append(gettext("Co-handlers withdrawn: %(names)s") % {"names": ", ".join(co)})
    elif data.get("withdrawn"):  # written before the lead was recorded apart (issue 16)
        names = ", ".join(data["withdrawn"])
        lines.append(gettext("Taken from: %(names)s") % {"names": names})
    if data.get("instructions"):
        lines.append(gettext("Instructions: %(text)s") % {"text": data["instructions"]})
    if data.get("organisation"):
        lines.append(gettext("Forwarded to: %(name)s") % {"name": data["organisation"]})
    if event.verb == "case.clue_feedback" and data.get("outcome"):
        outcome = {"accepted": _("Accepted as a case (立案)"), "declined": _("Not taken up")}
        lines.append(str(outcome.get(data["outcome"], data["outcome"])))
    consent = data.get("consent")
    if consent:
        lines.append(
            gettext("Contact details shared with the citizen's consent (%(how)s, %(when)s).")
            % {"how": consent.get("how", ""), "when": consent.get("when", "")[:10]}
        )
    if event.verb == "case.extension_requested" and data.get("days"):
        lines.append(gettext("%(days)d working days asked for.") % {"days": data["days"]})
    if event.verb == "case.extension_approved" and data.get("due_after"):
        lines.append(gettext("Result now due by %(due)s.") % {"due": data["due_after"][:10]})
    if data.get("result"):
        lines.append(gettext("Result: %(text)s") % {"text": data["result"]})
    if data.get("to_citizen"):
        lines.append(gettext("To the citizen: %(text)s") % {"text": data["to_citizen"]})
    if data.get("internal_note"):
        lines.append(gettext("Internal note: %(text)s") % {"text": data["internal_note"]})
    if data.get("entered_by_staff"):
        lines.append(
            gettext("Entered by staff for the citizen.")
            if event.verb in ("case.rated", "case.rehandle_requested")
            else gettext("Entered by station staff for the deputy.")
        )
    if event.verb == "case.answer_delivered" and data.get("how") in Delivery.values:
        lines.append(Delivery(data["how"]).label)
    if event.verb in ("case.rated", "case.rehandle_requested") and data.get("via") in RatedVia:
        lines.append(gettext("Given: %(how)s") % {"how": RatedVia(data["via"]).label})
    return lines


def status_label(value: str):
    """A status value's label; a value no longer in the table shows as itself."""
    return Status(value).label if value in Status.values else value


def department_handlers(case: Case, *, active: bool) -> list[User]:
    """The handlers of the departments working on the case now, or of every one that did."""
    assignments = case.assignments.exclude(state=Assignment.State.RETURNED)
    if active:
        assignments = assignments.filter(
            state__in=[Assignment.State.PENDING, Assignment.State.SIGNED]
        )
    departments = assignments.values("department_id")
    return list(
        User.objects.filter(
            role=Role.DEPARTMENT_HANDLER, is_active=True, department_id__in=departments
        ).order_by("pk")
    )
