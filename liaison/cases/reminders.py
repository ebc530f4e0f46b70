"""Reminders before a step is due, escalation of overdue steps, and the deputies' daily digest.

Run by the worker (`liaison/cases/jobs.py`). Each message goes into the notification outbox with a
`dedupe_key` naming the case, the step (its status), the step's deadline, the kind of message and
the recipient — so a reminder is sent at most once per step and deadline, whatever the number of
runs, restarts or workers running at once (the key is unique in the outbox). A deadline that moves
(an approved extension, a recomputed calendar) is a new deadline and is reminded again.

Who is reminded of what (提醒):

| status | step | responsible |
| --- | --- | --- |
| submitted | review (审核) | staff of the case's station |
| accepted | the deputy's reply | the deputy's account (or the station's staff if it has none) |
| to_assign | the assignment (交办) | committee staff of the nearest region above the case |
| assigned | sign-off (签收) | handlers of each department whose assignment awaits sign-off |
| in_progress | the result (办理结果) | handlers of the lead department |
| feedback | the answer (答复) | as for the reply |

"Due soon" is the staff pages' yellow flag: due by the end of the next working day. An overdue
step (red) is escalated (督办提醒) to the committee staff of the nearest region above the case that
has any — a street's 人大工委 before the district's 联工委, so that a province-wide account is not
told of every late case in the province — with one internal `case.escalated` event per step.

Queries are set-based: the due-soon and overdue slices are read from the (status, due_at) index in
batches, and the recipients of a whole batch in one query per role.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from liaison.accounts.models import Role, User
from liaison.accounts.selectors import station_staff
from liaison.directory.models import path_prefixes
from liaison.notifications.models import Notification
from liaison.notifications.services import addresses, enqueue
from liaison.workdays.deadlines import add_working_days

from . import services
from .models import Assignment, Case, CaseEvent
from .workflow import Status

BATCH = 500
ESCALATED = "case.escalated"
# The steps with a deadline someone must meet. `answered` (the citizen's rating) is closed by
# auto_close_unrated instead; citizens get no reminders.
REMINDED = [
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.TO_ASSIGN,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.FEEDBACK,
]
DEPUTY_STEPS = {Status.ACCEPTED, Status.FEEDBACK}


def step_name(status: str) -> str:
    return {
        Status.SUBMITTED: gettext("the review"),
        Status.ACCEPTED: gettext("the deputy's reply"),
        Status.TO_ASSIGN: gettext("the assignment to a department"),
        Status.ASSIGNED: gettext("the sign-off of the assignment"),
        Status.IN_PROGRESS: gettext("the department's result"),
        Status.FEEDBACK: gettext("the deputy's answer to the citizen"),
    }[status]


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def _due(moment: datetime) -> str:
    """The deadline as stored in the event's data: UTC, however the datetime came in."""
    return moment.astimezone(UTC).isoformat()


# --- reading the slices ------------------------------------------------------------------------


def _batches(condition: Q) -> Iterator[list[Case]]:
    """Open cases at a reminded step matching `condition` on due_at, one batch at a time.

    One status at a time, in (due_at, id) order with keyset pagination: each batch is then one
    ordered range read of the (status, due_at) index with a LIMIT, however large the slice."""
    for status in REMINDED:
        base = Case.objects.verified().filter(condition, status=status)
        base = base.select_related("station").order_by("due_at", "id")
        after = Q()
        while True:
            batch = list(base.filter(after)[:BATCH])
            if not batch:
                break
            yield batch
            last = batch[-1]
            after = Q(due_at__gt=last.due_at) | Q(due_at=last.due_at, pk__gt=last.pk)


def _active(role: str):
    return User.objects.filter(role=role, is_active=True).order_by("pk")


def responsible(cases: list[Case]) -> dict[int, list[User]]:
    """Who must act on each case's current step, for a batch of cases (one query per role)."""
    station_ids = {c.station_id for c in cases}
    staff: dict[int, list[User]] = defaultdict(list)
    if len(station_ids) == 1:  # a new message: from memory
        (station_id,) = station_ids
        staff[station_id] = list(station_staff(station_id))
    else:
        for user in _active(Role.STATION_STAFF).filter(station_id__in=station_ids):
            staff[user.station_id].append(user)
    # Each role's query only when some case needs it: a new message (the most frequent call,
    # one case at a time) needs the station's staff alone.
    deputy_ids = {c.deputy_id for c in cases if c.status in DEPUTY_STEPS and c.deputy_id}
    deputies = (
        {u.deputy_id: u for u in _active(Role.DEPUTY).filter(deputy_id__in=deputy_ids)}
        if deputy_ids
        else {}
    )
    handling = [c.pk for c in cases if c.status in (Status.ASSIGNED, Status.IN_PROGRESS)]
    departments: dict[int, set[int]] = defaultdict(set)
    waiting = Q(state=Assignment.State.PENDING) | Q(
        case__status=Status.IN_PROGRESS, role=Assignment.Role.LEAD, state=Assignment.State.SIGNED
    )
    if handling:
        for case_id, department_id in Assignment.objects.filter(
            waiting, case_id__in=handling
        ).values_list("case_id", "department_id"):
            departments[case_id].add(department_id)
    handlers: dict[int, list[User]] = defaultdict(list)
    if departments:
        wanted = set().union(*departments.values())
        for user in _active(Role.DEPARTMENT_HANDLER).filter(department_id__in=wanted):
            handlers[user.department_id].append(user)

    to_assign = [c for c in cases if c.status == Status.TO_ASSIGN]
    committee = supervisors(to_assign) if to_assign else {}
    found: dict[int, list[User]] = {}
    for case in cases:
        if case.status == Status.SUBMITTED:
            found[case.pk] = staff[case.station_id]
        elif case.status == Status.TO_ASSIGN:
            found[case.pk] = committee[case.pk]
        elif case.status in DEPUTY_STEPS:
            deputy = deputies.get(case.deputy_id)
            # Deputies often have no account and dictate by phone: the station enters it.
            found[case.pk] = [deputy] if deputy else staff[case.station_id]
        else:
            found[case.pk] = [u for d in sorted(departments[case.pk]) for u in handlers[d]]
    return found


def supervisors(cases: list[Case]) -> dict[int, list[User]]:
    """The committee staff of the nearest region above each case that has any (one query)."""
    prefixes = {path for case in cases for path in path_prefixes(case.region_path)}
    by_path: dict[str, list[User]] = defaultdict(list)
    for user in (
        _active(Role.COMMITTEE_STAFF).filter(region__path__in=prefixes).select_related("region")
    ):
        by_path[user.region.path].append(user)
    found: dict[int, list[User]] = {}
    for case in cases:
        found[case.pk] = next(
            (by_path[p] for p in reversed(path_prefixes(case.region_path)) if by_path.get(p)),
            [],
        )
    return found


# --- sending -----------------------------------------------------------------------------------


def _messages(users: list[User], key: str, subject: str, body: str) -> list[tuple]:
    """One message per address of every user, each with its own dedupe key."""
    return [
        (f"{key}:{channel}:{recipient}", channel, recipient, subject, body)
        for user in users
        for channel, recipient in addresses(user)
    ]


def _send(messages: list[tuple]) -> int:
    """Enqueue the messages not yet in the outbox (one query to find them); return how many.
    `enqueue` also resolves a race with another worker on the unique key."""
    known = set(
        Notification.objects.filter(dedupe_key__in=[m[0] for m in messages]).values_list(
            "dedupe_key", flat=True
        )
    )
    new = [m for m in messages if m[0] not in known]
    for dedupe_key, channel, recipient, subject, body in new:
        enqueue(channel, recipient, body, subject=subject, dedupe_key=dedupe_key)
    return len(new)


def notify_users(users: list[User], key: str, subject: str, body: str) -> int:
    """For other apps' reminders (e.g. the receptions' duty reminders): tell each user at the
    addresses staff are told at, at most once per `key`. Returns how many messages were new."""
    return _send(_messages(users, key, subject, body))


def notify_many(batch: list[tuple[list[User], str, str, str]]) -> int:
    """`notify_users` for many (users, key, subject, body) at once, with one query to find the
    messages already sent (e.g. the suggestions' reminders). Returns how many were new."""
    return _send(
        [m for users, key, subject, body in batch for m in _messages(users, key, subject, body)]
    )


def _case_key(case: Case, kind: str) -> str:
    return f"case:{case.pk}:{case.status}:{_stamp(case.due_at)}:{kind}"


def send_reminders(now: datetime | None = None) -> int:
    """Remind whoever must act on a step that is due by the end of the next working day."""
    now = now or timezone.now()
    cutoff = add_working_days(now, 1).due_at
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for batch in _batches(Q(due_at__gte=now, due_at__lte=cutoff)):
            people = responsible(batch)
            messages = []
            for case in batch:
                subject = gettext("Case %(number)s is due on %(day)s") % {
                    "number": case.tracking_number,
                    "day": _day(case.due_at),
                }
                body = gettext(
                    "Case %(number)s “%(title)s” (%(station)s): %(step)s is due by the end of "
                    "%(day)s."
                ) % {
                    "number": case.tracking_number,
                    "title": case.title,
                    "station": case.station.name,
                    "step": step_name(case.status),
                    "day": _day(case.due_at),
                }
                messages += _messages(people[case.pk], _case_key(case, "reminder"), subject, body)
            sent += _send(messages)
    return sent


def _escalated(cases: list[Case]) -> set[tuple[int, str, str]]:
    rows = CaseEvent.objects.filter(case__in=cases, verb=ESCALATED).values_list("case_id", "data")
    return {(pk, data.get("step", ""), data.get("due_at", "")) for pk, data in rows}


def escalate_overdue(now: datetime | None = None) -> int:
    """Record and report every overdue step once: a `case.escalated` event (internal), a message
    to the supervising committee, and an "overdue" message to whoever must act — for the deputy's
    steps the station's staff as well, who can reach the deputy. Returns how many steps were
    escalated."""
    now = now or timezone.now()
    escalated = 0
    with translation.override(settings.LANGUAGE_CODE):
        for batch in _batches(Q(due_at__lt=now)):
            done = _escalated(batch)
            pending = [c for c in batch if (c.pk, c.status, _due(c.due_at)) not in done]
            committee = supervisors(pending)
            acting = responsible(pending)
            stations = _station_staff([c for c in pending if c.status in DEPUTY_STEPS])
            for case in pending:
                late = acting[case.pk] + (
                    stations[case.station_id] if case.status in DEPUTY_STEPS else []
                )
                escalated += _escalate(case, committee[case.pk], late, now)
    return escalated


def _station_staff(cases: list[Case]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    station_ids = {c.station_id for c in cases}
    for user in _active(Role.STATION_STAFF).filter(station_id__in=station_ids):
        found[user.station_id].append(user)
    return found


def _escalate(case: Case, committee: list[User], late: list[User], now: datetime) -> int:
    due_at = _due(case.due_at)
    with transaction.atomic():
        # Under the row lock: a worker that lost the race sees the winner's event and stops, and
        # a case that moved on meanwhile is left alone.
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if (locked.status, locked.due_at) != (case.status, case.due_at):
            return 0
        if CaseEvent.objects.filter(
            case=locked, verb=ESCALATED, data__step=locked.status, data__due_at=due_at
        ).exists():
            return 0
        services.case_event(
            locked,
            ESCALATED,
            actor=None,
            from_status=locked.status,
            label=gettext("System"),
            is_public=False,
            step=locked.status,
            due_at=due_at,
            notified=[user.pk for user in committee],
            overdue_told=sorted({user.pk for user in late}),
        )
        subject = gettext("Overdue: case %(number)s") % {"number": locked.tracking_number}
        body = gettext(
            "Case %(number)s “%(title)s” (%(station)s) is overdue: %(step)s was due by the end "
            "of %(day)s."
        ) % {
            "number": locked.tracking_number,
            "title": locked.title,
            "station": case.station.name,
            "step": step_name(locked.status),
            "day": _day(locked.due_at),
        }
        _send(_messages(committee, _case_key(locked, "escalation"), subject, body))
        late = list({user.pk: user for user in late}.values())
        _send(_messages(late, _case_key(locked, "overdue"), subject, body))
    return 1


# --- the deputies' daily digest ------------------------------------------------------------------

DIGEST_LINES = 20


def send_digests(now: datetime | None = None) -> int:
    """Once per (Shanghai) day, from CASE_DIGEST_HOUR on: each deputy with an account who has
    cases awaiting their reply or answer gets one message listing the overdue ones, those due by
    the end of the next working day, and the rest. Returns how many digests were written."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.CASE_DIGEST_HOUR:
        return 0
    cutoff = add_working_days(now, 1).due_at
    sent = 0
    accounts = _active(Role.DEPUTY).filter(deputy__isnull=False)
    after = 0
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            users = list(accounts.filter(pk__gt=after)[:BATCH])
            if not users:
                return sent
            after = users[-1].pk
            cases: dict[int, list[Case]] = defaultdict(list)
            awaiting = (
                Case.objects.verified()
                .filter(status__in=DEPUTY_STEPS, deputy_id__in=[u.deputy_id for u in users])
                .order_by(F("due_at").asc(nulls_last=True), "id")
            )
            for case in awaiting.only(
                "pk", "tracking_number", "title", "status", "due_at", "deputy"
            ):
                cases[case.deputy_id].append(case)
            for user in users:
                if cases[user.deputy_id]:
                    subject, body = _digest(cases[user.deputy_id], now, cutoff, local.date())
                    key = f"deputy-digest:{user.pk}:{local.date().isoformat()}"
                    sent += bool(_send(_messages([user], key, subject, body)))


def _digest(cases: list[Case], now: datetime, cutoff: datetime, day) -> tuple[str, str]:
    overdue = [c for c in cases if c.due_at and c.due_at < now]
    soon = [c for c in cases if c.due_at and now <= c.due_at <= cutoff]
    rest = [c for c in cases if c not in overdue and c not in soon]
    subject = gettext("Your cases on %(day)s: %(count)d awaiting your reply or answer") % {
        "day": day.isoformat(),
        "count": len(cases),
    }
    lines = []
    for title, group in [
        (gettext("Overdue"), overdue),
        (gettext("Due by the end of the next working day"), soon),
        (gettext("Awaiting your reply or answer"), rest),
    ]:
        if not group:
            continue
        lines.append(f"{title} ({len(group)}):")
        for case in group[:DIGEST_LINES]:
            due = _day(case.due_at) if case.due_at else "—"
            lines.append(
                f"- {case.tracking_number} {case.title} · {step_name(case.status)} · {due}"
            )
        if len(group) > DIGEST_LINES:
            lines.append(gettext("… and %(count)d more.") % {"count": len(group) - DIGEST_LINES})
        lines.append("")
    return subject, "\n".join(lines).strip()
