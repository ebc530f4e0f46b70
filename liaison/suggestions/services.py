"""Every change to a suggestion (DESIGN.md rule 1): `verb_suggestion(suggestion, *, actor, …)`.

Each service, in one transaction: locks the suggestion row, checks the transition against
`workflow.TRANSITIONS` and who may act, changes the rows with `save(update_fields=…)`, appends one
`SuggestionEvent` plus an audit event, and puts the messages to the people concerned into the
notification outbox (dedupe key = the event). Errors: `TransitionRefused` (`ConcurrentChange`
when someone acted in between), `NotAllowed` (role or scope), `ValidationError` (bad input).

Who may act (docs/suggestions.md):
- draft, edit, submit, withdraw: the lead deputy, or staff of a station the lead deputy sits in;
- confirm a co-signature (附议): only the co-signing deputy, from their own account;
- return, register, assign, decide on a change, mark as key: committee staff whose region covers
  the lead deputy's region, administrators;
- ask for a change, send an opinion, answer: handlers of the assigned unit;
- evaluate: the lead deputy, or their station's staff entering it on their behalf.
"""

import calendar as month_calendar
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role, User
from liaison.activities.models import Activity
from liaison.cases.models import Case, Rating
from liaison.core import audit
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.events import actor_label, record_event, signed_in
from liaison.core.permissions import may, restrict
from liaison.directory.models import Category, Department, Deputy
from liaison.notifications.services import enqueue
from liaison.workdays.deadlines import (
    Calendar,
    add_working_days,
    end_of_day,
    is_working_day,
    local_day,
)

from .models import (
    ACTIVE_STATES,
    CoSigner,
    Grade,
    SessionKind,
    Suggestion,
    SuggestionAssignment,
    SuggestionEvent,
)
from .workflow import MACHINE, Action, Status

HANDLING_MONTHS = 3  # 代表法: answer within three months of assignment …
COMPLEX_MONTHS = 6  # … six for complex matters
REANSWER_MONTHS = 1  # the re-answer round after 不满意
CHANGE_WINDOW_DAYS = 10  # working days a unit has to ask for a wrong assignment to be changed
MAX_COSIGNERS = 30

Role_ = SuggestionAssignment.Role
State = SuggestionAssignment.State


# --- deadlines ---------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day."""
    years, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def months_due(start: datetime, months: int, calendar: Calendar | None = None) -> datetime:
    """End of the day `months` after start's day, moved on to the next working day when that
    day is a weekend or holiday (on the statutory calendar, liaison.workdays)."""
    calendar = calendar or Calendar()
    day = add_months(local_day(start), months)
    while not is_working_day(day, calendar=calendar):
        day += timedelta(days=1)
    return end_of_day(day)


def change_window_end(start: datetime, calendar: Calendar | None = None) -> datetime:
    return add_working_days(start, CHANGE_WINDOW_DAYS, calendar=calendar).due_at


def _open_assignments():
    return SuggestionAssignment.objects.filter(
        state__in=ACTIVE_STATES, suggestion__status=Status.ASSIGNED
    )


def recalculate_deadlines(years: set[int], actor=None) -> int:
    """After a year's holiday schedule changed (a workdays recalculator): recompute the due dates
    and change windows of the open assignments that reach into `years`. The answer is due
    3/6 months after the assignment, the re-answer one month after the 不满意 evaluation; the
    change window is 10 working days after the assignment. One event per suggestion changed."""
    if not years:
        return 0
    first, last = min(years), max(years)
    candidates = (
        _open_assignments()
        .filter(assigned_at__year__lte=last)
        .filter(Q(due_at__year__gte=first) | Q(change_until__year__gte=first))
        .order_by()
        .values_list("suggestion_id", flat=True)
        .distinct()
    )
    calendar = Calendar()
    changed = 0
    for pk in list(candidates):
        with transaction.atomic():
            locked = Suggestion.objects.select_for_update().get(pk=pk)
            if locked.status != Status.ASSIGNED:
                continue
            moved = []
            for row in locked.assignments.select_for_update().filter(state__in=ACTIVE_STATES):
                if locked.round > 1 and row.role == Role_.LEAD and locked.evaluated_at:
                    # The re-answer round: its window was closed when it started.
                    due_at = months_due(locked.evaluated_at, REANSWER_MONTHS, calendar)
                    change_until = row.change_until
                else:
                    months = COMPLEX_MONTHS if locked.is_complex else HANDLING_MONTHS
                    due_at = months_due(row.assigned_at, months, calendar)
                    change_until = change_window_end(row.assigned_at, calendar)
                if (due_at, change_until) == (row.due_at, row.change_until):
                    continue
                moved.append(
                    {
                        "assignment": row.pk,
                        "before": row.due_at.isoformat(),
                        "after": due_at.isoformat(),
                    }
                )
                row.due_at, row.change_until = due_at, change_until
                row.save(update_fields=["due_at", "change_until", "updated_at"])
            if not moved:
                continue
            _event(
                locked,
                "suggestion.deadline_recomputed",
                actor=actor,
                from_status=locked.status,
                years=sorted(years),
                assignments=moved,
            )
            changed += 1
    return changed


def years_in_use() -> set[int]:
    """The years the open assignments' due dates fall in (for the administrators' banner)."""
    return {moment.year for moment in _open_assignments().order_by().datetimes("due_at", "year")}


# --- who may act -------------------------------------------------------------------------------


def assignable_units(user):
    """The units `user` may assign a suggestion to: active departments whose region lies in the
    committee's own region (its subtree by Region.path); administrators any active one."""
    return restrict(Department.objects.filter(is_active=True), user, "change").order_by("name")


def _check_units(actor, fields: dict[str, list[Department]]) -> None:
    """Refuse units outside the actor's area, by form field, with the units named."""
    wanted = {d.pk for units in fields.values() for d in units}
    allowed = set(assignable_units(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    errors = {
        field: [
            _("%(unit)s is outside your committee's area.") % {"unit": d.name}
            for d in units
            if d.pk not in allowed
        ]
        for field, units in fields.items()
    }
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)


def _require(allowed: bool, message=None) -> None:
    if not allowed:
        raise NotAllowed(message or _("Your account may not take this action on this suggestion."))


# --- the mechanics every service shares --------------------------------------------------------


def _lock(suggestion: Suggestion) -> Suggestion:
    return MACHINE.lock(suggestion, "lead_deputy")


def _target(locked: Suggestion, action: Action, seen_status: str | None) -> Status:
    """The guard (docs/design.md, rule 2): ConcurrentChange when the status moved since the
    caller saw it, TransitionRefused when it never allowed the action."""
    return MACHINE.check(locked, action, seen_status)


def _event(
    suggestion: Suggestion,
    verb: str,
    *,
    actor,
    from_status: str,
    note: str = "",
    is_public: bool = False,
    **data,
) -> SuggestionEvent:
    """The timeline row (record_event), and the same verb in the audit log that the committee's
    audit views read across apps. A periodic job acts as "System", not as a citizen."""
    with translation.override(settings.LANGUAGE_CODE):
        label = actor_label(actor, anonymous=gettext("System"))
    event = record_event(
        suggestion,
        verb,
        actor=actor,
        from_state=from_status,
        note=note,
        public=is_public,
        data=data,
        label=label,
    )
    audit.record(verb, actor=actor, obj=suggestion, from_status=from_status, **data)
    return event


def _tell(users, event: SuggestionEvent, subject: str, body: str) -> None:
    """In-app message to each account, once per event."""
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        enqueue(
            "in_app",
            str(user.pk),
            body,
            subject=subject,
            dedupe_key=f"suggestion-event:{event.pk}:{user.pk}",
        )


def deputy_accounts(suggestion: Suggestion, *, cosigners: bool = False) -> list[User]:
    ids = [suggestion.lead_deputy_id]
    if cosigners:
        ids += list(suggestion.cosigners.values_list("deputy_id", flat=True))
    return list(User.objects.filter(role=Role.DEPUTY, deputy_id__in=ids, is_active=True))


def _handlers(department_ids) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.DEPARTMENT_HANDLER, department_id__in=list(department_ids), is_active=True
        )
    )


def _committee(suggestion: Suggestion) -> list[User]:
    """Committee staff of every region above the suggestion (the list is short)."""
    parts = suggestion.region_path.strip("/").split("/")
    paths = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    return list(
        User.objects.filter(role=Role.COMMITTEE_STAFF, region__path__in=paths, is_active=True)
    )


def _text(value: str, field: str, message, errors: dict) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(message)
    return value


# --- drafting (起草) ---------------------------------------------------------------------------


def linkable_cases(user, lead_deputy: Deputy):
    """Cases a suggestion of `lead_deputy` may cite: the ones `user` sees that were the deputy's
    or came to one of the deputy's stations."""
    from django.db.models import Q

    stations = lead_deputy.stations.values("pk")
    return restrict(Case.objects.verified(), user).filter(
        Q(deputy=lead_deputy) | Q(station__in=stations)
    )


def linkable_activities(lead_deputy: Deputy):
    return Activity.objects.filter(station__in=lead_deputy.stations.values("pk"))


def _clean(
    actor,
    *,
    lead_deputy: Deputy,
    title: str,
    reasons: str,
    proposals: str,
    category: Category | None,
    session_kind: str,
    year: int | None,
    congress: str,
    cosigners,
    cases,
    activities,
) -> dict:
    errors: dict[str, list] = {}
    data = {
        "title": _text(title, "title", _("Give the suggestion a title."), errors),
        "reasons": _text(reasons, "reasons", _("Explain the reasons (案由)."), errors),
        "proposals": _text(proposals, "proposals", _("Write the proposals."), errors),
        "congress": (congress or "").strip(),
    }
    if len(data["title"]) > Suggestion._meta.get_field("title").max_length:
        errors.setdefault("title", []).append(_("The title is too long."))
    if len(data["congress"]) > Suggestion._meta.get_field("congress").max_length:
        errors.setdefault("congress", []).append(_("The session name is too long."))
    if category is None or not category.is_active:
        errors.setdefault("category", []).append(_("Choose one of the listed categories."))
    if session_kind not in SessionKind.values:
        errors.setdefault("session_kind", []).append(_("Choose when it is submitted."))
    if not year or not 2000 <= int(year) <= 2100:
        errors.setdefault("year", []).append(_("Give the year the suggestion belongs to."))
    if not lead_deputy.is_active:
        errors.setdefault("lead_deputy", []).append(_("This deputy is no longer active."))
    cosigners = list(dict.fromkeys(cosigners))
    if lead_deputy in cosigners:
        errors.setdefault("cosigners", []).append(_("The lead deputy cannot also be a co-signer."))
    if any(not d.is_active for d in cosigners):
        errors.setdefault("cosigners", []).append(_("Every co-signer must be an active deputy."))
    if len(cosigners) > MAX_COSIGNERS:
        errors.setdefault("cosigners", []).append(_("Too many co-signers."))
    cases, activities = list(dict.fromkeys(cases)), list(dict.fromkeys(activities))
    allowed_cases = set(
        linkable_cases(actor, lead_deputy)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    if any(c.pk not in allowed_cases for c in cases):
        errors.setdefault("cases", []).append(
            _("Only cases of the lead deputy or their stations can be cited.")
        )
    allowed_activities = set(
        linkable_activities(lead_deputy)
        .filter(pk__in=[a.pk for a in activities])
        .values_list("pk", flat=True)
    )
    if any(a.pk not in allowed_activities for a in activities):
        errors.setdefault("activities", []).append(
            _("Only activities of the lead deputy's stations can be cited.")
        )
    if errors:
        raise ValidationError(errors)
    data.update(
        category=category,
        session_kind=session_kind,
        year=int(year),
        from_station_work=bool(cases or activities),
    )
    return {"fields": data, "cosigners": cosigners, "cases": cases, "activities": activities}


def _set_cosigners(suggestion: Suggestion, deputies: list[Deputy]) -> list[Deputy]:
    """Keep the confirmed signatures of deputies who stay; return the newly added deputies."""
    wanted = {d.pk: d for d in deputies}
    suggestion.cosigners.exclude(deputy_id__in=list(wanted)).delete()
    present = set(suggestion.cosigners.values_list("deputy_id", flat=True))
    added = [d for pk, d in wanted.items() if pk not in present]
    CoSigner.objects.bulk_create([CoSigner(suggestion=suggestion, deputy=d) for d in added])
    return added


def _ask_cosigners(suggestion: Suggestion, event: SuggestionEvent, deputies: list[Deputy]):
    users = User.objects.filter(
        role=Role.DEPUTY, deputy__in=deputies, is_active=True
    ).select_related("deputy")
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Please confirm your co-signature")
        body = gettext(
            "Deputy %(lead)s asks you to co-sign the suggestion “%(title)s”. Confirm or decline "
            "it on the suggestion's page."
        ) % {"lead": suggestion.lead_deputy.name, "title": suggestion.title}
    _tell(list(users), event, subject, body)


@transaction.atomic
def draft_suggestion(
    *,
    actor,
    lead_deputy: Deputy,
    title: str,
    reasons: str,
    proposals: str,
    category: Category | None,
    session_kind: str,
    year: int | None,
    congress: str = "",
    cosigners=(),
    cases=(),
    activities=(),
) -> Suggestion:
    """起草 — a new draft by the lead deputy, or by station staff on the deputy's behalf."""
    _require(may(actor, "deputy.speak_for", lead_deputy))
    cleaned = _clean(
        actor,
        lead_deputy=lead_deputy,
        title=title,
        reasons=reasons,
        proposals=proposals,
        category=category,
        session_kind=session_kind,
        year=year,
        congress=congress,
        cosigners=cosigners,
        cases=cases,
        activities=activities,
    )
    station = actor.station if actor.role == Role.STATION_STAFF else None
    station = station or lead_deputy.stations.filter(is_active=True).order_by("pk").first()
    suggestion = Suggestion.objects.create(
        lead_deputy=lead_deputy,
        region_path=lead_deputy.region.path,
        station=station,
        created_by=actor,
        **cleaned["fields"],
    )
    suggestion.cases.set(cleaned["cases"])
    suggestion.activities.set(cleaned["activities"])
    added = _set_cosigners(suggestion, cleaned["cosigners"])
    event = _event(
        suggestion,
        "suggestion.drafted",
        actor=actor,
        from_status="",
        cosigners=[d.pk for d in added],
        cases=[c.pk for c in cleaned["cases"]],
        activities=[a.pk for a in cleaned["activities"]],
    )
    _ask_cosigners(suggestion, event, added)
    return suggestion


@transaction.atomic
def update_suggestion(
    suggestion: Suggestion,
    *,
    actor,
    seen_status: str | None = None,
    title: str,
    reasons: str,
    proposals: str,
    category: Category | None,
    session_kind: str,
    year: int | None,
    congress: str = "",
    cosigners=(),
    cases=(),
    activities=(),
) -> Suggestion:
    """Revise a draft or a returned suggestion (修改)."""
    locked = _lock(suggestion)
    _target(locked, Action.EDIT, seen_status)
    _require(may(actor, "suggestion.speak_for_lead", locked))
    cleaned = _clean(
        actor,
        lead_deputy=locked.lead_deputy,
        title=title,
        reasons=reasons,
        proposals=proposals,
        category=category,
        session_kind=session_kind,
        year=year,
        congress=congress,
        cosigners=cosigners,
        cases=cases,
        activities=activities,
    )
    for field, value in cleaned["fields"].items():
        setattr(locked, field, value)
    locked.save(update_fields=[*cleaned["fields"], "updated_at"])
    locked.cases.set(cleaned["cases"])
    locked.activities.set(cleaned["activities"])
    added = _set_cosigners(locked, cleaned["cosigners"])
    event = _event(
        locked,
        "suggestion.edited",
        actor=actor,
        from_status=locked.status,
        cosigners_added=[d.pk for d in added],
    )
    _ask_cosigners(locked, event, added)
    return locked


@transaction.atomic
def confirm_signature(suggestion: Suggestion, *, actor, decline: bool = False) -> Suggestion:
    """附议确认 — the co-signing deputy confirms (or declines, which removes them) from their
    own account; nobody can sign for them."""
    locked = _lock(suggestion)
    _target(locked, Action.CONFIRM, None)
    _require(
        signed_in(actor) and actor.role == Role.DEPUTY,
        _("Only the co-signing deputy can confirm a co-signature, from their own account."),
    )
    signature = locked.cosigners.select_for_update().filter(deputy_id=actor.deputy_id).first()
    if signature is None:
        raise NotAllowed(_("You are not a co-signer of this suggestion."))
    if decline:
        signature.delete()
        verb = "suggestion.cosign_declined"
    else:
        if signature.confirmed_at is not None:
            raise TransitionRefused(_("You have confirmed your co-signature already."))
        signature.confirmed_at = timezone.now()
        signature.save(update_fields=["confirmed_at"])
        verb = "suggestion.cosign_confirmed"
    _event(locked, verb, actor=actor, from_status=locked.status, deputy=actor.deputy_id)
    return locked


@transaction.atomic
def submit_suggestion(suggestion: Suggestion, *, actor, seen_status: str | None = None):
    """提交 — to the committee for checking; every co-signer must have confirmed."""
    locked = _lock(suggestion)
    to = _target(locked, Action.SUBMIT, seen_status)
    _require(may(actor, "suggestion.speak_for_lead", locked))
    waiting = list(
        locked.cosigners.filter(confirmed_at__isnull=True).values_list("deputy__name", flat=True)
    )
    if waiting:
        raise ValidationError(
            {
                "cosigners": _("Waiting for these co-signers to confirm: %(names)s.")
                % {"names": "、".join(waiting)}
            }
        )
    from_status, locked.status = locked.status, to
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    _event(locked, "suggestion.submitted", actor=actor, from_status=from_status)
    return locked


@transaction.atomic
def withdraw_suggestion(suggestion: Suggestion, *, actor, reason: str = "") -> Suggestion:
    locked = _lock(suggestion)
    to = _target(locked, Action.WITHDRAW, None)
    _require(may(actor, "suggestion.speak_for_lead", locked))
    from_status, locked.status = locked.status, to
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    _event(locked, "suggestion.withdrawn", actor=actor, from_status=from_status, note=reason)
    return locked


# --- checking (审查) ---------------------------------------------------------------------------


@transaction.atomic
def return_suggestion(
    suggestion: Suggestion, *, actor, reason: str, seen_status: str | None = None
) -> Suggestion:
    """退回 — it does not meet the rules (a personal matter, a pending court case …); the deputy
    may revise and submit again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the deputy why it is returned.")})
    locked = _lock(suggestion)
    to = _target(locked, Action.RETURN, seen_status)
    _require(may(actor, "suggestion.supervise", locked))
    from_status, locked.status = locked.status, to
    locked.return_reason = reason
    locked.save(update_fields=["status", "return_reason", "updated_at"])
    event = _event(locked, "suggestion.returned", actor=actor, from_status=from_status, note=reason)
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Suggestion returned: %(title)s") % {"title": locked.title}
        body = gettext("Your suggestion “%(title)s” was returned: %(reason)s") % {
            "title": locked.title,
            "reason": reason,
        }
    _tell(deputy_accounts(locked), event, subject, body)
    return locked


def _next_number(year: int) -> str:
    last = (
        Suggestion.objects.filter(number__startswith=f"{year}-")
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.split("-")[1]) + 1 if last else 1
    return f"{year}-{sequence:04d}"


@transaction.atomic
def accept_suggestion(
    suggestion: Suggestion, *, actor, seen_status: str | None = None, note: str = ""
) -> Suggestion:
    """立案 — registered with a number of its year, e.g. 2026-0012."""
    locked = _lock(suggestion)
    to = _target(locked, Action.ACCEPT, seen_status)
    _require(may(actor, "suggestion.supervise", locked))
    from_status, locked.status = locked.status, to
    locked.accepted_at = timezone.now()
    locked.return_reason = ""
    for attempt in range(5):
        locked.number = _next_number(locked.year)
        try:
            with transaction.atomic():  # a savepoint: a number taken meanwhile is retried
                locked.save(
                    update_fields=["status", "number", "accepted_at", "return_reason", "updated_at"]
                )
            break
        except IntegrityError:
            if attempt == 4:
                raise
    event = _event(
        locked,
        "suggestion.accepted",
        actor=actor,
        from_status=from_status,
        note=note,
        number=locked.number,
        is_public=True,
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Suggestion registered: %(number)s") % {"number": locked.number}
        body = gettext("Your suggestion “%(title)s” was registered as No. %(number)s.") % {
            "title": locked.title,
            "number": locked.number,
        }
    _tell(deputy_accounts(locked, cosigners=True), event, subject, body)
    return locked


# --- assignment (交办) -------------------------------------------------------------------------


def _new_assignment(suggestion, department, role, now, due_at, calendar) -> SuggestionAssignment:
    return SuggestionAssignment.objects.create(
        suggestion=suggestion,
        department=department,
        role=role,
        assigned_at=now,
        due_at=due_at,
        change_until=change_window_end(now, calendar),
    )


@transaction.atomic
def assign_suggestion(
    suggestion: Suggestion,
    *,
    actor,
    lead: Department | None,
    joint=(),
    co=(),
    is_complex: bool = False,
    seen_status: str | None = None,
) -> Suggestion:
    """交办 — exactly one lead unit (主办), any joint (会办) and co-handling (协办) units; answer
    due 3 months after today (6 when complex), on the next working day if that is a day off."""
    joint, co = list(dict.fromkeys(joint)), list(dict.fromkeys(co))
    errors: dict[str, list] = {}
    if lead is None:
        errors["lead"] = [_("Choose the lead unit.")]
    units = ([lead] if lead else []) + joint + co
    if len({d.pk for d in units}) != len(units):
        errors.setdefault("joint", []).append(_("Each unit can have one role only."))
    if any(not d.is_active for d in units):
        errors.setdefault("lead", []).append(_("Every unit must be active."))
    if errors:
        raise ValidationError(errors)
    locked = _lock(suggestion)
    to = _target(locked, Action.ASSIGN, seen_status)
    _require(may(actor, "suggestion.supervise", locked))
    _check_units(actor, {"lead": [lead], "joint": joint, "co": co})
    now = timezone.now()
    calendar = Calendar()
    due_at = months_due(now, COMPLEX_MONTHS if is_complex else HANDLING_MONTHS, calendar)
    for department, role in (
        [(lead, Role_.LEAD)] + [(d, Role_.JOINT) for d in joint] + [(d, Role_.CO) for d in co]
    ):
        _new_assignment(locked, department, role, now, due_at, calendar)
    from_status, locked.status = locked.status, to
    locked.assigned_at, locked.is_complex = now, is_complex
    locked.save(update_fields=["status", "assigned_at", "is_complex", "updated_at"])
    event = _event(
        locked,
        "suggestion.assigned",
        actor=actor,
        from_status=from_status,
        is_public=True,
        lead=lead.pk,
        joint=[d.pk for d in joint],
        co=[d.pk for d in co],
        due_at=due_at.isoformat(),
        complex=is_complex,
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("New suggestion to handle: %(number)s") % {"number": locked.number}
        body = gettext(
            "Suggestion %(number)s “%(title)s” was assigned to your unit; the answer is due by "
            "%(day)s. A wrong assignment can be contested within %(days)d working days."
        ) % {
            "number": locked.number,
            "title": locked.title,
            "day": local_day(due_at).isoformat(),
            "days": CHANGE_WINDOW_DAYS,
        }
    _tell(_handlers(d.pk for d in units), event, subject, body)
    return locked


def _own_assignment(locked: Suggestion, actor, roles, states) -> SuggestionAssignment:
    _require(
        signed_in(actor) and actor.role == Role.DEPARTMENT_HANDLER,
        _("Only the assigned unit may take this action."),
    )
    mine = locked.assignments.select_for_update().filter(department_id=actor.department_id)
    assignment = mine.filter(role__in=roles, state__in=states).order_by("-id").first()
    if assignment is None:
        current = mine.filter(state__in=ACTIVE_STATES).first()
        if current is not None:
            raise TransitionRefused(
                _("Your unit's assignment is “%(state)s” (%(role)s): this action is not possible.")
                % {"state": current.get_state_display(), "role": current.get_role_display()}
            )
        raise NotAllowed(_("Your unit has no open assignment for this suggestion."))
    return assignment


@transaction.atomic
def request_change(suggestion: Suggestion, *, actor, reason: str) -> SuggestionAssignment:
    """申请调整 — the unit thinks the assignment is wrong; possible within 10 working days."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Explain why the assignment is wrong.")})
    locked = _lock(suggestion)
    _target(locked, Action.REQUEST_CHANGE, None)
    assignment = _own_assignment(locked, actor, Role_.values, [State.HANDLING])
    now = timezone.now()
    if now > assignment.change_until:
        raise TransitionRefused(
            _("A change could be asked for until %(day)s (%(days)d working days).")
            % {"day": local_day(assignment.change_until).isoformat(), "days": CHANGE_WINDOW_DAYS}
        )
    assignment.state, assignment.change_reason = State.CHANGE_REQUESTED, reason
    assignment.save(update_fields=["state", "change_reason", "updated_at"])
    event = _event(
        locked,
        "suggestion.change_requested",
        actor=actor,
        from_status=locked.status,
        note=reason,
        assignment=assignment.pk,
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Change of assignment asked: %(number)s") % {"number": locked.number}
        body = gettext("%(unit)s asks to change its assignment for %(number)s: %(reason)s") % {
            "unit": assignment.department.name,
            "number": locked.number,
            "reason": reason,
        }
    _tell(_committee(locked), event, subject, body)
    return assignment


@transaction.atomic
def decide_change(
    suggestion: Suggestion,
    *,
    actor,
    assignment: SuggestionAssignment,
    approve: bool,
    department: Department | None = None,
    note: str = "",
    seen_status: str | None = None,
) -> Suggestion:
    """The committee approves (the unit is withdrawn and, for the lead, a new one assigned with
    a fresh deadline and window) or refuses (the unit goes on handling it)."""
    locked = _lock(suggestion)
    _target(locked, Action.DECIDE_CHANGE, seen_status)
    _require(may(actor, "suggestion.supervise", locked))
    row = locked.assignments.select_for_update().filter(pk=assignment.pk).first()
    if row is None or row.state != State.CHANGE_REQUESTED:
        raise TransitionRefused(_("No change of this assignment is waiting for a decision."))
    data: dict = {"assignment": row.pk, "approved": approve}
    if approve:
        taken = set(
            locked.assignments.filter(state__in=ACTIVE_STATES)
            .exclude(pk=row.pk)
            .values_list("department_id", flat=True)
        )
        if row.role == Role_.LEAD and department is None:
            raise ValidationError({"department": _("Choose the new lead unit.")})
        if department is not None and (
            department.pk in taken or department.pk == row.department_id
        ):
            raise ValidationError({"department": _("This unit already has a part in it.")})
        if department is not None and not department.is_active:
            raise ValidationError({"department": _("Every unit must be active.")})
        if department is not None:
            _check_units(actor, {"department": [department]})
        row.state = State.WITHDRAWN
        row.save(update_fields=["state", "updated_at"])
        if department is not None:
            now = timezone.now()
            calendar = Calendar()
            months = COMPLEX_MONTHS if locked.is_complex else HANDLING_MONTHS
            new = _new_assignment(
                locked, department, row.role, now, months_due(now, months, calendar), calendar
            )
            data.update(new_assignment=new.pk, department=department.pk)
    else:
        row.state = State.HANDLING
        row.save(update_fields=["state", "updated_at"])
    event = _event(
        locked,
        "suggestion.change_decided",
        actor=actor,
        from_status=locked.status,
        note=note,
        **data,
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Change of assignment decided: %(number)s") % {"number": locked.number}
        body = (
            gettext("The change of assignment for %(number)s was approved.")
            if approve
            else gettext("The change of assignment for %(number)s was refused: keep handling it.")
        ) % {"number": locked.number}
    _tell(
        _handlers([row.department_id] + ([department.pk] if department else [])),
        event,
        subject,
        body,
    )
    return locked


@transaction.atomic
def send_opinion(suggestion: Suggestion, *, actor, text: str) -> SuggestionAssignment:
    """会办/协办意见 — a joint or co-handling unit's opinion, for the lead unit's answer."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the opinion.")})
    locked = _lock(suggestion)
    _target(locked, Action.OPINION, None)
    assignment = _own_assignment(locked, actor, [Role_.JOINT, Role_.CO], [State.HANDLING])
    assignment.opinion, assignment.opinion_at = text, timezone.now()
    assignment.state = State.OPINION_SENT
    assignment.save(update_fields=["opinion", "opinion_at", "state", "updated_at"])
    event = _event(
        locked,
        "suggestion.opinion_sent",
        actor=actor,
        from_status=locked.status,
        assignment=assignment.pk,
    )
    lead = locked.assignments.filter(role=Role_.LEAD, state__in=ACTIVE_STATES).first()
    if lead is not None:
        with translation.override(settings.LANGUAGE_CODE):
            subject = gettext("Opinion received: %(number)s") % {"number": locked.number}
            body = gettext("%(unit)s sent its opinion on suggestion %(number)s.") % {
                "unit": assignment.department.name,
                "number": locked.number,
            }
        _tell(_handlers([lead.department_id]), event, subject, body)
    return assignment


@transaction.atomic
def answer_suggestion(
    suggestion: Suggestion,
    *,
    actor,
    grade: str,
    answer: str,
    achieved: str = "",
    grade_reasons: str = "",
    seen_status: str | None = None,
) -> Suggestion:
    """答复 — the lead unit's answer with its grade; D needs the reasons."""
    errors: dict[str, list] = {}
    if grade not in Grade.values:
        errors["grade"] = [_("Choose the grade of the answer.")]
    answer = _text(answer, "answer", _("Write the answer."), errors)
    grade_reasons = (grade_reasons or "").strip()
    if grade == Grade.D and not grade_reasons:
        errors["grade_reasons"] = [_("Grade D needs the reasons it cannot be solved now.")]
    if errors:
        raise ValidationError(errors)
    locked = _lock(suggestion)
    to = _target(locked, Action.ANSWER, seen_status)
    assignment = _own_assignment(locked, actor, [Role_.LEAD], [State.HANDLING])
    now = timezone.now()
    assignment.state = State.ANSWERED
    assignment.save(update_fields=["state", "updated_at"])
    # The answer ends the other units' part: those that sent no opinion are closed, so that
    # they neither show as handling nor get reminders (also not in a re-answer round).
    silent = list(
        locked.assignments.select_for_update()
        .filter(role__in=[Role_.JOINT, Role_.CO], state__in=ACTIVE_STATES)
        .values_list("pk", "department_id")
    )
    SuggestionAssignment.objects.filter(pk__in=[pk for pk, _unit in silent]).update(
        state=State.NO_OPINION, updated_at=now
    )
    from_status, locked.status = locked.status, to
    locked.grade, locked.answer, locked.answered_at = grade, answer, now
    locked.achieved, locked.grade_reasons = (achieved or "").strip(), grade_reasons
    locked.save(
        update_fields=[
            "status",
            "grade",
            "answer",
            "answered_at",
            "achieved",
            "grade_reasons",
            "updated_at",
        ]
    )
    event = _event(
        locked,
        "suggestion.answered",
        actor=actor,
        from_status=from_status,
        is_public=True,
        grade=grade,
        round=locked.round,
        closed_without_opinion=[pk for pk, _unit in silent],
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Answer to your suggestion %(number)s") % {"number": locked.number}
        body = gettext(
            "%(unit)s answered suggestion %(number)s (grade %(grade)s). Please evaluate it."
        ) % {"unit": assignment.department.name, "number": locked.number, "grade": grade}
        closed_subject = gettext("Suggestion %(number)s answered") % {"number": locked.number}
        closed_body = gettext(
            "The lead unit answered suggestion %(number)s before your unit sent an opinion; "
            "your unit's part is closed."
        ) % {"number": locked.number}
    _tell(deputy_accounts(locked, cosigners=True), event, subject, body)
    _tell(_handlers(unit for _pk, unit in silent), event, closed_subject, closed_body)
    return locked


# --- evaluation (代表评价) ----------------------------------------------------------------------


@transaction.atomic
def evaluate_suggestion(
    suggestion: Suggestion,
    *,
    actor,
    evaluation: str,
    note: str = "",
    seen_status: str | None = None,
) -> Suggestion:
    """满意 / 基本满意 close it; the first 不满意 sends it back to the lead unit for one new
    answer within a month, the second closes it unsatisfied."""
    if evaluation not in Rating.values:
        raise ValidationError({"evaluation": _("Choose 满意, 基本满意 or 不满意.")})
    locked = _lock(suggestion)
    again = evaluation == Rating.UNSATISFIED and locked.round == 1
    to = _target(locked, Action.REANSWER if again else Action.EVALUATE, seen_status)
    _require(
        may(actor, "suggestion.speak_for_lead", locked),
        _("Only the lead deputy evaluates the answer."),
    )
    now = timezone.now()
    from_status, locked.status = locked.status, to
    note = (note or "").strip()
    fields = ["status", "evaluation", "evaluation_note", "evaluated_at", "updated_at"]
    locked.evaluation, locked.evaluation_note, locked.evaluated_at = evaluation, note, now
    data: dict = {"evaluation": evaluation, "round": locked.round}
    if again:
        lead = (
            locked.assignments.select_for_update()
            .filter(role=Role_.LEAD, state=State.ANSWERED)
            .order_by("-id")
            .first()
        )
        due_at = months_due(now, REANSWER_MONTHS)
        lead.state, lead.due_at, lead.change_until = State.HANDLING, due_at, now
        lead.save(update_fields=["state", "due_at", "change_until", "updated_at"])
        locked.round = 2
        fields.append("round")
        data["due_at"] = due_at.isoformat()
    else:
        locked.closed_at = now
        fields.append("closed_at")
    locked.save(update_fields=fields)
    verb = "suggestion.reanswer_requested" if again else "suggestion.evaluated"
    event = _event(
        locked, verb, actor=actor, from_status=from_status, note=note, is_public=True, **data
    )
    if again:
        with translation.override(settings.LANGUAGE_CODE):
            subject = gettext("New answer needed: %(number)s") % {"number": locked.number}
            body = gettext(
                "The deputy is not satisfied with the answer to %(number)s; a new answer is due "
                "by %(day)s."
            ) % {"number": locked.number, "day": local_day(lead.due_at).isoformat()}
        _tell(_handlers([lead.department_id]), event, subject, body)
    return locked


@transaction.atomic
def mark_key(
    suggestion: Suggestion, *, actor, is_key: bool, note: str = "", seen_status=None
) -> Suggestion:
    """重点督办 — supervised by a committee leader (the note names them)."""
    note = (note or "").strip()
    if is_key and not note:
        raise ValidationError({"note": _("Name the supervising leader.")})
    if len(note) > Suggestion._meta.get_field("key_note").max_length:
        raise ValidationError({"note": _("The note is too long.")})
    locked = _lock(suggestion)
    _target(locked, Action.MARK_KEY, seen_status)
    _require(may(actor, "suggestion.supervise", locked))
    locked.is_key, locked.key_note = is_key, note if is_key else ""
    locked.save(update_fields=["is_key", "key_note", "updated_at"])
    _event(
        locked,
        "suggestion.key_marked" if is_key else "suggestion.key_unmarked",
        actor=actor,
        from_status=locked.status,
        note=note,
        is_public=is_key,
    )
    return locked


# --- the public's rating (办理结果网上评) ---------------------------------------------------


class AlreadyRated(TransitionRefused):
    code = "already_rated"


def rate_publicly(suggestion: Suggestion, *, rating: str, voter: str):
    """One rating per browser (`voter`: a hash of its random cookie) on an answered suggestion.
    The per-address rate limit is the view's (liaison.core.ratelimit)."""
    from .models import PublicRating

    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose 满意, 基本满意 or 不满意.")})
    if not suggestion.is_public:
        raise TransitionRefused(_("Only answered suggestions can be rated."))
    try:
        with transaction.atomic():
            row = PublicRating.objects.create(suggestion=suggestion, rating=rating, voter=voter)
    except IntegrityError:
        raise AlreadyRated(_("You have rated this suggestion already.")) from None
    audit.record("suggestion.publicly_rated", obj=suggestion, rating=rating)
    return row
