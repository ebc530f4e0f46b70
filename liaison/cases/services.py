"""Every change to a case (DESIGN.md rule 1): `verb_case(case, *, actor, …)`.

Each service, in one transaction: locks the case row, checks the transition against
`workflow.TRANSITIONS` (and who may act), changes the case with `save(update_fields=…)`, appends
one `CaseEvent`, and puts the citizen's text messages into the notification outbox. The outbox row
is written in the same transaction as the change (see liaison/notifications/services.py), so a
message exists if and only if the change was committed, and the worker only ever sees committed
rows; its `dedupe_key` names the event, so each event sends each message once.

Errors: `TransitionRefused` (the status does not allow it; `ConcurrentChange` when someone else
changed the case since the caller read it), `NotAllowed` (role or scope), Django's
`ValidationError` (bad input, with field names). In every case nothing is written.

Who may act (see docs/cases.md):
- review (accept, request info, merge, reject, refer): station staff of the case's station,
  committee staff whose region covers the case, administrators;
- the deputy's reply and answer: the case's deputy, or staff of the case's station entering it on
  the deputy's behalf (a deputy who dictates by phone) — recorded as such;
- assign, decide extensions, urge, supervise: committee staff whose region covers the case,
  administrators;
- sign, return, request an extension, report: handlers of the assigned department;
- supplement, rate, withdraw: the citizen, who has no account (`actor=None`; staff may enter a
  supplement or a withdrawal on the citizen's behalf, e.g. from a phone call).
"""

import os
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.events import record_event, signed_in
from liaison.core.images import reencode_image
from liaison.core.permissions import may
from liaison.core.phones import normalize_phone, validate_mobile
from liaison.directory.models import Category, Department, Deputy, Station
from liaison.notifications.services import enqueue
from liaison.workdays.deadlines import Calendar, add_working_days, working_days_between

from . import links
from .models import (
    ACTIVE_ASSIGNMENT_STATES,
    Assignment,
    Case,
    CaseEvent,
    CasePhoto,
    Channel,
    Rating,
    ReferralChannel,
    RejectReason,
    ResultAttachment,
    new_tracking_number,
)
from .workflow import FINAL, MACHINE, Action, Status, target

MAX_EXTENSION_DAYS = 30
MAX_PHOTOS = 9
MAX_RESULT_ATTACHMENTS = 5
TRACKING_ATTEMPTS = 5
CONSENT_FIELDS = {"citizen_name", "citizen_phone"}


def days(name: str) -> int:
    """Working days a step may take: settings.CASE_*_DAYS, read on each call."""
    return int(getattr(settings, name))


# --- who may act -------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed(_("Your account may not take this action on this case."))


def _department_assignment(user, case: Case, states: Iterable[str]) -> Assignment:
    if not signed_in(user) or user.role != Role.DEPARTMENT_HANDLER:
        raise NotAllowed(_("Only the assigned department may take this action."))
    assignment = (
        case.assignments.filter(department_id=user.department_id, state__in=list(states))
        .order_by("role", "-id")  # "co" < "lead": take the lead part first when both exist
        .select_for_update()
        .last()
    )
    if assignment is None:
        current = case.assignments.filter(
            department_id=user.department_id, state__in=ACTIVE_ASSIGNMENT_STATES
        ).last()
        if current is not None:  # ours, but at another step (e.g. signed for already)
            raise TransitionRefused(
                _("Your department's assignment is “%(state)s”: this action is not possible.")
                % {"state": current.get_state_display()}
            )
        raise NotAllowed(_("Your department has no open assignment for this case."))
    return assignment


# --- the mechanics every service shares --------------------------------------------------------


def _lock(case: Case) -> Case:
    return MACHINE.lock(case)


def _target(locked: Case, action: Action, seen_status: str) -> Status:
    """The guard (docs/design.md, rule 2): ConcurrentChange when the status moved since the
    caller saw it, TransitionRefused when it never allowed the action."""
    return MACHINE.check(locked, action, seen_status)


def _guard_any(locked: Case, actions: list[Action], seen_status: str) -> None:
    """For services whose action depends on who acts (lead or co-handler): refuse by status
    first, before asking who the actor is."""
    MACHINE.check_any(locked, actions, seen_status)


def _deputy_label(case: Case) -> str:
    return gettext("Deputy %(name)s") % {"name": case.deputy.name}


def _event(
    case: Case,
    verb: str,
    *,
    actor,
    from_status: str,
    label: str | None = None,
    note: str = "",
    is_public: bool = True,
    **data,
) -> CaseEvent:
    return record_event(
        case,
        verb,
        actor=actor,
        from_state=from_status,
        label=label,
        note=note,
        public=is_public,
        data=data,
    )


def _set_due(case: Case, start: datetime | None, n: int | None, calendar=None) -> None:
    """Start the current step's clock: due at the end of the nth working day after `start`."""
    if start is None or n is None:
        case.due_at, case.due_provisional, case.due_from, case.due_days = None, False, None, None
        return
    deadline = add_working_days(start, n, calendar=calendar)
    case.due_at, case.due_provisional = deadline.due_at, deadline.provisional
    case.due_from, case.due_days = start, n


DUE_FIELDS = ["due_at", "due_provisional", "due_from", "due_days"]


def _save(case: Case, *fields: str) -> None:
    case.save(update_fields=["status", "updated_at", *fields])


def _finish(case: Case, status: Status, now: datetime) -> list[str]:
    """Final statuses stop the clock."""
    case.status = status
    case.closed_at = now
    _set_due(case, None, None)
    case.paused_at, case.paused_days_left = None, None
    return ["closed_at", "paused_at", "paused_days_left", *DUE_FIELDS]


def _sms(case: Case, event: CaseEvent, text: str, *, phone: str | None = None, key: str = ""):
    enqueue(
        "sms",
        phone or case.citizen_phone,
        text,
        dedupe_key=f"case-event:{event.pk}:sms{key}",
    )


def _in_citizen_language(case: Case):
    return translation.override(case.language or settings.LANGUAGE_CODE)


def _text_required(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --- intake ------------------------------------------------------------------------------------


def submit_case(
    *,
    channel: str,
    station: Station,
    deputy: Deputy | None,
    category: Category,
    title: str,
    description: str,
    citizen_phone: str,
    citizen_name: str = "",
    confidential: bool = False,
    public_consent: bool = False,
    privacy_accepted: bool,
    location_text: str = "",
    latitude=None,
    longitude=None,
    actor=None,
    language: str | None = None,
    photos: Iterable = (),
    verify_phone: bool = False,
    privacy_consent: dict | None = None,
) -> Case:
    """A new case from any channel. `actor` is None for the citizen's own message, or the staff
    account that registers a visit, a call or a letter.

    `verify_phone=True` (the citizen's online form): the case is a draft until the citizen types
    the SMS code (`confirm_phone`) — no event, no message, no review clock yet; staff do not see
    it (`Case.objects.verified()`) and a periodic job deletes it after a day. Otherwise the case
    is announced at once; an online message then counts as verified by its caller.

    `photos`: files already re-encoded by `liaison.core.images` (EXIF and location stripped).
    `privacy_consent`: how a citizen without the online form accepted the privacy notice
    (e.g. `{"how": "read_out_on_phone"}`), kept in the submission event's data."""
    photos = list(photos)
    if actor is not None:
        # Staff register cases at the stations they work for (the "station.change" row).
        _require(may(actor, "station.change", station))
    errors: dict[str, list] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    if channel not in Channel.values:
        error("channel", _("Choose how the matter reached us."))
    if not privacy_accepted:
        error("privacy_accepted", _("Please read and accept the privacy notice."))
    phone = normalize_phone(citizen_phone)
    try:
        validate_mobile(phone)
    except ValidationError as invalid:
        errors.setdefault("citizen_phone", []).extend(invalid.error_list)
    title, description = (title or "").strip(), (description or "").strip()
    citizen_name, location_text = (citizen_name or "").strip(), (location_text or "").strip()
    if not title:
        error("title", _("Please give your message a title."))
    elif len(title) > Case._meta.get_field("title").max_length:
        error("title", _("The title is too long."))
    if not description:
        error("description", _("Please describe the matter."))
    if len(citizen_name) > Case._meta.get_field("citizen_name").max_length:
        error("citizen_name", _("The name is too long."))
    if len(location_text) > Case._meta.get_field("location_text").max_length:
        error("location_text", _("The place description is too long."))
    if not station.is_active:
        error("station", _("This station no longer takes messages."))
    if not category.is_active:
        error("category", _("Choose one of the listed categories."))
    if deputy is not None and (
        not deputy.is_active or not deputy.stations.filter(pk=station.pk).exists()
    ):
        error("deputy", _("This deputy does not sit in this station."))
    if (latitude is None) != (longitude is None) or (
        latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        error("latitude", _("The location is not a valid position."))
    if len(photos) > MAX_PHOTOS:
        error("photos", _("Send at most %(max)d photos.") % {"max": MAX_PHOTOS})
    if verify_phone and (actor is not None or channel != Channel.ONLINE):
        error("channel", _("Only the citizen's online message is confirmed by SMS code."))
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        now = timezone.now()
        case = Case(
            channel=channel,
            station=station,
            region_path=station.region.path,
            deputy=deputy,
            category=category,
            title=title,
            description=description,
            location_text=location_text,
            latitude=latitude,
            longitude=longitude,
            citizen_name=citizen_name,
            citizen_phone=phone,
            confidential=confidential,
            public_consent=public_consent,
            privacy_accepted_at=now,
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
        )
        if not verify_phone:
            _set_due(case, now, days("CASE_REVIEW_DAYS"))
            if channel == Channel.ONLINE:
                case.phone_verified_at = now
        for attempt in range(TRACKING_ATTEMPTS):
            case.tracking_number = new_tracking_number()
            try:
                with transaction.atomic():  # a savepoint, so a collision can be retried
                    case.save(force_insert=True)
                break
            except IntegrityError:
                taken = Case.objects.filter(tracking_number=case.tracking_number).exists()
                if not taken or attempt == TRACKING_ATTEMPTS - 1:
                    raise
                case.pk = None
        for photo in photos:
            CasePhoto.objects.create(case=case, image=photo)
        if not verify_phone:
            consent = {"privacy_consent": privacy_consent} if privacy_consent else {}
            _announce(case, actor=actor, **consent)
    return case


def _announce(case: Case, *, actor, **data) -> None:
    """The submission as the citizen and the staff see it: the event and the SMS with the
    tracking number."""
    event = _event(
        case, "case.submitted", actor=actor, from_status="", channel=case.channel, **data
    )
    with _in_citizen_language(case):
        text = gettext(
            "Your message has been received. Tracking number %(number)s; follow it at "
            "%(url)s with the last 4 digits of your phone."
        ) % {"number": case.tracking_number, "url": links.tracking_url(case)}
    _sms(case, event, text)


@transaction.atomic
def confirm_phone(case: Case) -> Case:
    """The citizen typed the right SMS code (see verification.py): the draft becomes a message —
    the review clock starts now, the submission event is written and the tracking SMS sent."""
    locked = _lock(case)
    if locked.phone_verified_at is not None:
        raise TransitionRefused(_("This message has been confirmed already."))
    now = timezone.now()
    locked.phone_verified_at = now
    _set_due(locked, now, days("CASE_REVIEW_DAYS"))
    _save(locked, "phone_verified_at", *DUE_FIELDS)
    _announce(locked, actor=None, phone_verified=True)
    return locked


# --- review (审核) -----------------------------------------------------------------------------


@transaction.atomic
def accept_case(case: Case, *, actor, deputy: Deputy | None = None, note: str = "") -> Case:
    """受理. The deputy's reply is due within 3 working days. A message to the station as a whole
    is given to a deputy of the station here."""
    locked = _lock(case)
    to = _target(locked, Action.ACCEPT, case.status)
    _require(may(actor, "case.review", locked))
    if deputy is not None:
        if not deputy.is_active or not deputy.stations.filter(pk=locked.station_id).exists():
            raise ValidationError({"deputy": _("This deputy does not sit in this station.")})
        locked.deputy = deputy
    if locked.deputy_id is None:
        raise ValidationError({"deputy": _("Choose the deputy who will reply.")})
    from_status, locked.status = locked.status, to
    _set_due(locked, timezone.now(), days("CASE_REPLY_DAYS"))
    _save(locked, "deputy", *DUE_FIELDS)
    _event(locked, "case.accepted", actor=actor, from_status=from_status, note=note)
    return locked


@transaction.atomic
def request_info(case: Case, *, actor, reason: str) -> Case:
    """Ask the citizen for more; the clock stops and the working days left are kept."""
    reason = _text_required(reason, "reason", _("Tell the citizen what is missing."))
    locked = _lock(case)
    to = _target(locked, Action.REQUEST_INFO, case.status)
    _require(may(actor, "case.review", locked))
    now = timezone.now()
    left = max(working_days_between(now, locked.due_at), 0) if locked.due_at else None
    data = {"days_left": left, "due_at_before": locked.due_at.isoformat() if locked.due_at else ""}
    from_status, locked.status = locked.status, to
    locked.paused_at, locked.paused_days_left = now, left
    _set_due(locked, None, None)
    _save(locked, "paused_at", "paused_days_left", *DUE_FIELDS)
    event = _event(
        locked, "case.info_requested", actor=actor, from_status=from_status, note=reason, **data
    )
    with _in_citizen_language(locked):
        text = gettext(
            "About your message %(number)s: we need more information — %(reason)s "
            "Please add it at %(url)s"
        ) % {"number": locked.tracking_number, "reason": reason, "url": links.tracking_url(locked)}
    _sms(locked, event, text)
    return locked


@transaction.atomic
def supplement_case(case: Case, *, text: str, actor=None) -> Case:
    """The citizen adds what was asked for; the clock resumes with the working days that were
    left at the pause (at least one, so that staff have a day to look at the answer)."""
    text = _text_required(text, "text", _("Please write the information that was asked for."))
    locked = _lock(case)
    to = _target(locked, Action.SUPPLEMENT, case.status)
    if actor is not None:
        _require(may(actor, "case.review", locked))
    now = timezone.now()
    left = max(locked.paused_days_left or 0, 1)
    paused_at = locked.paused_at
    from_status, locked.status = locked.status, to
    locked.paused_at, locked.paused_days_left = None, None
    _set_due(locked, now, left)
    _save(locked, "paused_at", "paused_days_left", *DUE_FIELDS)
    _event(
        locked,
        "case.supplemented",
        actor=actor,
        from_status=from_status,
        label=gettext("Citizen") if actor is None else None,
        note=text,
        paused_at=paused_at.isoformat() if paused_at else "",
        days_left=left,
    )
    return locked


@transaction.atomic
def merge_case(case: Case, into: Case, *, actor, note: str = "") -> Case:
    """合并 — the same matter was raised before: the citizen follows the main case, whose answer
    reaches them too."""
    if into.pk == case.pk:
        raise ValidationError({"into": _("A case cannot be merged into itself.")})
    # Lock both rows in a fixed order, so that two merges of the same pair cannot deadlock.
    first, second = sorted([case.pk, into.pk])
    rows = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[first, second])}
    locked, main = rows[case.pk], rows[into.pk]
    to = _target(locked, Action.MERGE, case.status)
    _require(may(actor, "case.review", locked) and may(actor, "case.review", main))
    if main.status in FINAL:
        raise ValidationError({"into": _("The case to merge into must still be open.")})
    now = timezone.now()
    from_status = locked.status
    fields = _finish(locked, to, now)
    locked.merged_into = main
    _save(locked, "merged_into", *fields)
    event = _event(
        locked,
        "case.merged",
        actor=actor,
        from_status=from_status,
        note=note,
        into=main.tracking_number,
    )
    _event(
        main,
        "case.merge_received",
        actor=actor,
        from_status=main.status,
        merged=locked.tracking_number,
    )
    with _in_citizen_language(locked):
        text = gettext(
            "Your message %(number)s raises the same matter as an earlier one; it is handled "
            "together with it, and you will receive the answer. Follow it at %(url)s"
        ) % {"number": locked.tracking_number, "url": links.tracking_url(locked)}
    _sms(locked, event, text)
    return locked


@transaction.atomic
def reject_case(case: Case, *, actor, reason: str, note: str = "") -> Case:
    """不予受理 — abusive, spam, empty, or nothing for a liaison station."""
    if reason not in RejectReason.values:
        raise ValidationError({"reason": _("Choose a reason for not accepting the message.")})
    locked = _lock(case)
    to = _target(locked, Action.REJECT, case.status)
    _require(may(actor, "case.review", locked))
    from_status = locked.status
    fields = _finish(locked, to, timezone.now())
    _save(locked, *fields)
    _event(locked, "case.rejected", actor=actor, from_status=from_status, note=note, reason=reason)
    return locked


@transaction.atomic
def refer_case(case: Case, *, actor, referral_channel: ReferralChannel, note: str = "") -> Case:
    """引导 — the matter belongs to another channel (courts, 纪检监察, 信访, 110…); the citizen
    receives the standard guidance."""
    if not referral_channel.is_active:
        raise ValidationError({"referral_channel": _("Choose one of the listed channels.")})
    locked = _lock(case)
    to = _target(locked, Action.REFER, case.status)
    _require(may(actor, "case.review", locked))
    from_status = locked.status
    fields = _finish(locked, to, timezone.now())
    locked.referral = referral_channel
    _save(locked, "referral", *fields)
    with _in_citizen_language(locked):
        english = (translation.get_language() or "").startswith("en")
        guidance = (english and referral_channel.guidance_en) or referral_channel.guidance
        text = gettext("About your message %(number)s: %(guidance)s") % {
            "number": locked.tracking_number,
            "guidance": guidance,
        }
    event = _event(
        locked,
        "case.referred",
        actor=actor,
        from_status=from_status,
        note=guidance,
        referral=referral_channel.code,
        internal_note=note,
    )
    _sms(locked, event, text)
    return locked


# --- the deputy --------------------------------------------------------------------------------


def _answer_messages(case: Case, event: CaseEvent, text: str, *, merged: bool) -> None:
    """The answer reaches the citizen with the rating link, and (for the department's answer)
    everyone whose message was merged into this case."""
    with _in_citizen_language(case):
        message = gettext("Answer to your message %(number)s: %(text)s Please rate it: %(url)s") % {
            "number": case.tracking_number,
            "text": text,
            "url": links.rating_url(case),
        }
    _sms(case, event, message)
    if not merged:
        return
    from .selectors import merged_cases

    for other in merged_cases(case):
        with _in_citizen_language(other):
            message = gettext("Answer to your message %(number)s: %(text)s") % {
                "number": other.tracking_number,
                "text": text,
            }
        _sms(other, event, message, key=f":merged:{other.pk}")


@transaction.atomic
def reply_case(case: Case, *, actor, text: str, settle: bool) -> Case:
    """The deputy's first reply (≤3 working days), in their own words. `settle`: the reply settles
    the matter (the citizen is asked to rate it); otherwise the deputy proposes assignment."""
    text = _text_required(text, "text", _("Write the reply to the citizen."))
    locked = _lock(case)
    action = Action.REPLY_AND_CLOSE if settle else Action.REPLY_AND_PROPOSE
    to = _target(locked, action, case.status)
    _require(may(actor, "case.speak_for_deputy", locked))
    from_status, locked.status = locked.status, to
    if settle:
        _set_due(locked, timezone.now(), days("CASE_RATING_DAYS"))
    else:
        _set_due(locked, None, None)  # assignment has no statutory deadline of its own
    _save(locked, *DUE_FIELDS)
    event = _event(
        locked,
        "case.replied",
        actor=actor,
        from_status=from_status,
        label=_deputy_label(locked),
        note=text,
        settled=settle,
        entered_by_staff=actor.role != Role.DEPUTY,
    )
    if settle:
        _answer_messages(locked, event, text, merged=False)
    else:
        with _in_citizen_language(locked):
            message = gettext("Deputy %(name)s replied to your message %(number)s: %(text)s") % {
                "name": locked.deputy.name,
                "number": locked.tracking_number,
                "text": text,
            }
        _sms(locked, event, message)
    return locked


@transaction.atomic
def answer_case(case: Case, *, actor, text: str) -> Case:
    """答复 — the deputy answers the citizen after the department's feedback (≤15 working days);
    the citizen is asked to rate it within 10."""
    text = _text_required(text, "text", _("Write the answer to the citizen."))
    locked = _lock(case)
    to = _target(locked, Action.ANSWER, case.status)
    _require(may(actor, "case.speak_for_deputy", locked))
    from_status, locked.status = locked.status, to
    _set_due(locked, timezone.now(), days("CASE_RATING_DAYS"))
    _save(locked, *DUE_FIELDS)
    event = _event(
        locked,
        "case.answered",
        actor=actor,
        from_status=from_status,
        label=_deputy_label(locked),
        note=text,
        entered_by_staff=actor.role != Role.DEPUTY,
    )
    _answer_messages(locked, event, text, merged=True)
    return locked


# --- assignment (交办) and the departments ----------------------------------------------------


def _validate_departments(case: Case, lead: Department, co: list[Department]) -> None:
    errors: dict[str, list] = {}
    for field, department in [("lead_department", lead)] + [("co_departments", d) for d in co]:
        if not department.is_active:
            errors.setdefault(field, []).append(
                _("%(department)s no longer takes assignments.") % {"department": department}
            )
        elif not case.region_path.startswith(department.region.path):
            errors.setdefault(field, []).append(
                _("%(department)s does not cover the case's area.") % {"department": department}
            )
    if lead.pk in {d.pk for d in co}:
        errors.setdefault("co_departments", []).append(
            _("The lead department cannot also be a co-handler.")
        )
    if len({d.pk for d in co}) != len(co):
        errors.setdefault("co_departments", []).append(_("A co-handler is listed twice."))
    if errors:
        raise ValidationError(errors)


def _validate_consent(consent, departments: list[Department]) -> dict:
    """What the citizen agreed to share, with whom, when and how — as data, for the timeline."""
    if not isinstance(consent, dict) or not str(consent.get("how", "")).strip():
        raise ValidationError(
            {"consent": _("Record how the citizen agreed to share their contact details.")}
        )
    what = consent.get("what") or sorted(CONSENT_FIELDS)
    if not set(what) <= CONSENT_FIELDS:
        raise ValidationError({"consent": _("Only the name and the phone can be shared.")})
    when = consent.get("when") or timezone.now()
    return {
        "what": sorted(what),
        "to": [d.name for d in departments],
        "when": when.isoformat() if isinstance(when, datetime) else str(when),
        "how": str(consent["how"]).strip(),
    }


@transaction.atomic
def assign_case(
    case: Case,
    *,
    actor,
    lead_department: Department,
    co_departments: Iterable[Department] = (),
    share_contact: bool = False,
    consent: dict | None = None,
    instructions: str = "",
) -> Case:
    """交办/转办 to one lead department (主办) and optional co-handlers (协办). A reassignment
    withdraws the active assignments and keeps them as history."""
    co = list(co_departments)
    locked = _lock(case)
    to = _target(locked, Action.ASSIGN, case.status)
    _require(may(actor, "case.supervise", locked))
    _validate_departments(locked, lead_department, co)
    recorded_consent = _validate_consent(consent, [lead_department, *co]) if share_contact else None
    now = timezone.now()
    withdrawn = list(
        locked.assignments.filter(state__in=ACTIVE_ASSIGNMENT_STATES).select_related("department")
    )
    Assignment.objects.filter(pk__in=[a.pk for a in withdrawn]).update(
        state=Assignment.State.WITHDRAWN, updated_at=now
    )
    calendar = Calendar()
    sign_due = add_working_days(now, days("CASE_SIGN_DAYS"), calendar=calendar)
    report_days = locked.category.handling_days or days("CASE_HANDLING_DAYS")
    report_due = add_working_days(now, report_days, calendar=calendar)
    for role, department in [(Assignment.Role.LEAD, lead_department)] + [
        (Assignment.Role.CO, d) for d in co
    ]:
        Assignment.objects.create(
            case=locked,
            department=department,
            role=role,
            state=Assignment.State.PENDING,
            round=2 if locked.rehandled else 1,
            contact_shared=share_contact,
            sign_due_at=sign_due.due_at,
            report_due_at=report_due.due_at,
            report_days=report_days,
        )
    from_status, locked.status = locked.status, to
    _set_due(locked, now, days("CASE_SIGN_DAYS"), calendar=calendar)
    _save(locked, *DUE_FIELDS)
    _event(
        locked,
        "case.assigned",
        actor=actor,
        from_status=from_status,
        note=gettext("Assigned to %(department)s.") % {"department": lead_department.name},
        lead=lead_department.name,
        co=[d.name for d in co],
        round=2 if locked.rehandled else 1,
        contact_shared=share_contact,
        consent=recorded_consent,
        withdrawn=[a.department.name for a in withdrawn],
        instructions=instructions,
    )
    return locked


@transaction.atomic
def sign_assignment(case: Case, *, actor) -> Case:
    """签收 — the department takes the assignment on (≤1 working day). The lead's signature starts
    the handling clock."""
    locked = _lock(case)
    _guard_any(locked, [Action.SIGN, Action.CO_SIGN], case.status)
    assignment = _department_assignment(actor, locked, [Assignment.State.PENDING])
    lead = assignment.role == Assignment.Role.LEAD
    to = _target(locked, Action.SIGN if lead else Action.CO_SIGN, case.status)
    assignment.state = Assignment.State.SIGNED
    assignment.save(update_fields=["state", "updated_at"])
    from_status, locked.status = locked.status, to
    if lead:
        _set_due(locked, assignment.created_at, assignment.report_days)
    _save(locked, *DUE_FIELDS)
    _event(locked, "case.signed", actor=actor, from_status=from_status, role=assignment.role)
    return locked


@transaction.atomic
def return_assignment(case: Case, *, actor, reason: str) -> Case:
    """退回 — not ours: the lead's return sends the case back to the committee for reassignment."""
    reason = _text_required(reason, "reason", _("Say why the assignment is returned."))
    locked = _lock(case)
    _guard_any(locked, [Action.RETURN, Action.CO_RETURN], case.status)
    assignment = _department_assignment(actor, locked, ACTIVE_ASSIGNMENT_STATES)
    lead = assignment.role == Assignment.Role.LEAD
    to = _target(locked, Action.RETURN if lead else Action.CO_RETURN, case.status)
    assignment.state = Assignment.State.RETURNED
    assignment.save(update_fields=["state", "updated_at"])
    from_status, locked.status = locked.status, to
    if lead:
        _set_due(locked, None, None)
    _save(locked, *DUE_FIELDS)
    _event(
        locked,
        "case.returned",
        actor=actor,
        from_status=from_status,
        note=reason,
        is_public=False,
        role=assignment.role,
    )
    return locked


@transaction.atomic
def request_extension(case: Case, *, actor, days_requested: int, reason: str) -> Case:
    """申请延期 — the department asks the committee for more working days."""
    reason = _text_required(reason, "reason", _("Say why more time is needed."))
    if not isinstance(days_requested, int) or not 1 <= days_requested <= MAX_EXTENSION_DAYS:
        raise ValidationError(
            {
                "days_requested": _("Ask for 1 to %(max)d working days.")
                % {"max": MAX_EXTENSION_DAYS}
            }
        )
    locked = _lock(case)
    _target(locked, Action.REQUEST_EXTENSION, case.status)
    assignment = _department_assignment(actor, locked, ACTIVE_ASSIGNMENT_STATES)
    if assignment.extension_requested_days:
        raise ValidationError({"days_requested": _("An extension request is already waiting.")})
    assignment.extension_requested_days = days_requested
    assignment.save(update_fields=["extension_requested_days", "updated_at"])
    _event(
        locked,
        "case.extension_requested",
        actor=actor,
        from_status=locked.status,
        note=reason,
        is_public=False,
        assignment=assignment.pk,
        days=days_requested,
    )
    return locked


@transaction.atomic
def decide_extension(
    case: Case,
    *,
    actor,
    assignment: Assignment,
    approve: bool,
    days_granted: int | None = None,
    note: str = "",
) -> Case:
    """The committee approves (the result is due N working days later) or refuses (unchanged)."""
    locked = _lock(case)
    _target(locked, Action.DECIDE_EXTENSION, case.status)
    _require(may(actor, "case.supervise", locked))
    assignment = (
        Assignment.objects.select_for_update()
        .filter(pk=assignment.pk, case=locked, state__in=ACTIVE_ASSIGNMENT_STATES)
        .first()
    )
    if assignment is None or not assignment.extension_requested_days:
        raise ValidationError({"assignment": _("There is no extension request to decide.")})
    granted = assignment.extension_requested_days if days_granted is None else days_granted
    if approve and (not isinstance(granted, int) or not 1 <= granted <= MAX_EXTENSION_DAYS):
        raise ValidationError(
            {"days_granted": _("Grant 1 to %(max)d working days.") % {"max": MAX_EXTENSION_DAYS}}
        )
    before = assignment.report_due_at
    assignment.extension_requested_days = None
    if approve:
        assignment.report_days += granted
        assignment.report_due_at = add_working_days(
            assignment.created_at, assignment.report_days
        ).due_at
    assignment.save(
        update_fields=["extension_requested_days", "report_days", "report_due_at", "updated_at"]
    )
    if approve and assignment.role == Assignment.Role.LEAD and locked.status == Status.IN_PROGRESS:
        _set_due(locked, assignment.created_at, assignment.report_days)
        locked.save(update_fields=[*DUE_FIELDS, "updated_at"])
    _event(
        locked,
        "case.extension_approved" if approve else "case.extension_refused",
        actor=actor,
        from_status=locked.status,
        note=note,
        assignment=assignment.pk,
        days=granted if approve else 0,
        due_before=before.isoformat() if before else "",
        due_after=assignment.report_due_at.isoformat() if assignment.report_due_at else "",
    )
    return locked


@transaction.atomic
def urge_case(case: Case, *, actor, note: str = "") -> Case:
    """催办 — the committee reminds whoever has the case; recorded, nothing changes."""
    return _record_supervision(case, Action.URGE, "case.urged", actor=actor, note=note)


@transaction.atomic
def supervise_case(case: Case, *, actor, note: str = "") -> Case:
    """督办 — the committee puts the case under formal supervision; recorded."""
    return _record_supervision(case, Action.SUPERVISE, "case.supervised", actor=actor, note=note)


def _record_supervision(case: Case, action: Action, verb: str, *, actor, note: str) -> Case:
    locked = _lock(case)
    _target(locked, action, case.status)
    _require(may(actor, "case.supervise", locked))
    _event(locked, verb, actor=actor, from_status=locked.status, note=note, is_public=False)
    return locked


def result_attachment_max_bytes() -> int:
    """A PDF's size limit: twice a photo's (scanned documents run larger)."""
    return settings.PHOTO_MAX_BYTES * 2


def _read_attachments(files: list) -> list[tuple[str, str, bytes]]:
    """(original name, content type, content) for each file, or ValidationError on
    `attachments` listing every file that is refused. PDFs are recognised by their signature
    (never by name); anything else must be an image, which is re-encoded."""
    if len(files) > MAX_RESULT_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("Attach at most %(max)d files.") % {"max": MAX_RESULT_ATTACHMENTS}}
        )
    read, errors = [], []
    limit = result_attachment_max_bytes()
    for upload in files:
        name = os.path.basename(str(getattr(upload, "name", "") or ""))[:200] or "file"
        try:
            size = upload.size
            if size > limit:  # refused before it is even read
                raise ValidationError(
                    _("The file is too large (%(size)s); the limit is %(limit)s.")
                    % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
                )
            data = upload.read()
            if data.startswith(b"%PDF-"):
                read.append((name, "application/pdf", data))
                continue
            try:  # an image: checked by content and re-encoded (photo size limit)
                read.append((name, "image/jpeg", reencode_image(data, max_side=2000)))
            except ValidationError as invalid:
                if invalid.code == "photo_not_image":
                    raise ValidationError(
                        _("Attach PDF documents or photos (JPEG, PNG) only.")
                    ) from None
                raise
        except ValidationError as invalid:
            errors.extend(f"{name}: {message}" for message in invalid.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return read


@transaction.atomic
def report_result(case: Case, *, actor, text: str, attachments: Iterable = ()) -> Case:
    """办理结果 — the lead department's report sends the case to the deputy, who answers the
    citizen within 15 working days. A co-handler's report is recorded for the lead.

    `attachments`: uploaded files (up to MAX_RESULT_ATTACHMENTS), PDFs or images; all are
    checked before anything is saved, and one refused file refuses the report."""
    text = _text_required(text, "text", _("Describe the result of the handling."))
    locked = _lock(case)
    _guard_any(locked, [Action.REPORT, Action.CO_REPORT], case.status)
    assignment = _department_assignment(actor, locked, [Assignment.State.SIGNED])
    lead = assignment.role == Assignment.Role.LEAD
    to = _target(locked, Action.REPORT if lead else Action.CO_REPORT, case.status)
    files = _read_attachments(list(attachments))
    assignment.state, assignment.result = Assignment.State.REPORTED, text
    assignment.save(update_fields=["state", "result", "updated_at"])
    saved = [
        ResultAttachment.objects.create(
            case=locked,
            assignment=assignment,
            file=ContentFile(data, name=name),
            original_name=name,
            content_type=content_type,
            size=len(data),
        )
        for name, content_type, data in files
    ]
    from_status, locked.status = locked.status, to
    if lead:
        _set_due(locked, timezone.now(), days("CASE_ANSWER_DAYS"))
    _save(locked, *DUE_FIELDS)
    # The citizen sees that the department reported; the substance reaches them in the
    # deputy's answer, so the report itself stays internal.
    _event(
        locked,
        "case.reported",
        actor=actor,
        from_status=from_status,
        role=assignment.role,
        result=text,
        attachments=[a.pk for a in saved],
    )
    return locked


# --- the citizen -------------------------------------------------------------------------------


@transaction.atomic
def rate_case(case: Case, *, rating: str, comment: str = "", via: str = "link") -> Case:
    """满意 / 基本满意 close the case; the first 不满意 sends it back for one re-handling round
    (重办), a second one closes it with the rating recorded. No login: the caller has checked the
    rating link's token."""
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose one of the ratings.")})
    comment = (comment or "").strip()
    locked = _lock(case)
    rehandle = rating == Rating.UNSATISFIED and not locked.rehandled
    to = _target(locked, Action.REHANDLE if rehandle else Action.RATE, case.status)
    now = timezone.now()
    from_status = locked.status
    if rehandle:
        locked.status, locked.rehandled = to, True
        _set_due(locked, None, None)
        _save(locked, "rehandled", *DUE_FIELDS)
    else:
        fields = _finish(locked, to, now)
        locked.rating, locked.rated_at = rating, now
        _save(locked, "rating", "rated_at", *fields)
    _event(
        locked,
        "case.rehandle_requested" if rehandle else "case.rated",
        actor=None,
        from_status=from_status,
        note=comment,
        rating=rating,
        via=via,
    )
    return locked


@transaction.atomic
def withdraw_case(case: Case, *, reason: str = "", actor=None) -> Case:
    """撤回 — the citizen may withdraw at any time before the case is closed."""
    locked = _lock(case)
    to = _target(locked, Action.WITHDRAW, case.status)
    if actor is not None:
        _require(may(actor, "case.review", locked))
    from_status = locked.status
    fields = _finish(locked, to, timezone.now())
    locked.assignments.filter(state__in=ACTIVE_ASSIGNMENT_STATES).update(
        state=Assignment.State.WITHDRAWN, updated_at=timezone.now()
    )
    _save(locked, *fields)
    _event(
        locked,
        "case.withdrawn",
        actor=actor,
        from_status=from_status,
        label=gettext("Citizen"),
        note=(reason or "").strip(),
    )
    return locked


# --- the system --------------------------------------------------------------------------------


def auto_close_unrated(now: datetime | None = None) -> int:
    """Close answered cases whose rating period is over. Idempotent: each case is re-read under
    its lock, and one that was rated or closed meanwhile is left alone."""
    now = now or timezone.now()
    closed = 0
    candidates = Case.objects.filter(status=Status.ANSWERED, due_at__lt=now).values_list(
        "pk", flat=True
    )
    for pk in list(candidates):
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=pk)
            if locked.status != Status.ANSWERED or not locked.due_at or locked.due_at >= now:
                continue
            to = target(locked.status, Action.AUTO_CLOSE)
            from_status = locked.status
            fields = _finish(locked, to, now)
            _save(locked, *fields)
            with translation.override(settings.LANGUAGE_CODE):
                label = gettext("System")
            _event(locked, "case.auto_closed", actor=None, from_status=from_status, label=label)
            closed += 1
    return closed


def recalculate_deadlines(years: set[int], actor=None) -> int:
    """After a year's holiday schedule changed: recompute every open deadline whose counted days
    reach into `years` (a workdays recalculator). One event per case that changed."""
    if not years:
        return 0
    first, last = min(years), max(years)
    candidates = (
        Case.objects.open()
        .filter(due_from__isnull=False, due_from__year__lte=last, due_at__year__gte=first)
        .values_list("pk", flat=True)
    )
    calendar = Calendar()
    changed = 0
    for pk in list(candidates):
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=pk)
            if locked.is_final or locked.due_from is None or locked.due_days is None:
                continue
            before = (locked.due_at, locked.due_provisional)
            _set_due(locked, locked.due_from, locked.due_days, calendar=calendar)
            moved = []
            for assignment in locked.assignments.select_for_update().filter(
                state__in=ACTIVE_ASSIGNMENT_STATES
            ):
                sign = add_working_days(
                    assignment.created_at, days("CASE_SIGN_DAYS"), calendar=calendar
                ).due_at
                report = add_working_days(
                    assignment.created_at, assignment.report_days, calendar=calendar
                ).due_at
                if (sign, report) != (assignment.sign_due_at, assignment.report_due_at):
                    assignment.sign_due_at, assignment.report_due_at = sign, report
                    assignment.save(update_fields=["sign_due_at", "report_due_at", "updated_at"])
                    moved.append(assignment.pk)
            if before == (locked.due_at, locked.due_provisional) and not moved:
                continue
            locked.save(update_fields=[*DUE_FIELDS, "updated_at"])
            with translation.override(settings.LANGUAGE_CODE):
                label = gettext("System")
            _event(
                locked,
                "case.deadline_recomputed",
                actor=actor,
                from_status=locked.status,
                label=label,
                due_before=before[0].isoformat() if before[0] else "",
                due_after=locked.due_at.isoformat() if locked.due_at else "",
                provisional=locked.due_provisional,
                years=sorted(years),
                assignments=moved,
            )
            changed += 1
    return changed


def provisional_years() -> set[int]:
    """The years open provisional deadlines reach (for the administrators' banner)."""
    dates = (
        Case.objects.open()
        .filter(due_provisional=True, due_at__isnull=False)
        .values_list("due_at", flat=True)
    )
    return {timezone.localtime(value).year for value in dates}


# --- configuration ------------------------------------------------------------------------------


@transaction.atomic
def save_referral_channel(channel: ReferralChannel, *, actor, changed_fields=()) -> None:
    from liaison.core import audit

    _require(signed_in(actor) and actor.is_administrator)
    created = channel.pk is None
    channel.full_clean()
    channel.save()
    audit.record(
        "referral_channel.created" if created else "referral_channel.changed",
        actor=actor,
        obj=channel,
        fields=list(changed_fields),
    )


@transaction.atomic
def save_routing_rule(rule, *, actor, changed_fields=()) -> None:
    """分办规则 — administrators keep the routing rules (they only suggest a department)."""
    from liaison.core import audit

    _require(signed_in(actor) and actor.is_administrator)
    created = rule.pk is None
    rule.full_clean()
    rule.save()
    audit.record(
        "routing_rule.created" if created else "routing_rule.changed",
        actor=actor,
        obj=rule,
        fields=list(changed_fields),
    )
