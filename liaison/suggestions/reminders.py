"""Reminders for the handling units before an answer is due, and when it is overdue (催办).

Run by the worker (jobs.py). Each message has a `dedupe_key` naming the assignment, its deadline,
the kind and the recipient, so it is written once however often the job runs; a new deadline (a
re-answer round, a reassignment) is reminded again. Recipients: the handlers of each unit still
handling; overdue ones also go to the committee staff above the suggestion, and for key
suggestions (重点督办) the committee is told of the coming deadline too.
"""

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from liaison.accounts.models import Role, User
from liaison.cases.reminders import notify_many
from liaison.directory.models import path_prefixes
from liaison.workdays.deadlines import add_working_days, local_day

from .models import ACTIVE_STATES, SuggestionAssignment
from .workflow import Status

REMIND_DAYS = 5  # working days before the due date


def _open(condition: Q):
    return (
        SuggestionAssignment.objects.filter(
            condition, state__in=ACTIVE_STATES, suggestion__status=Status.ASSIGNED
        )
        .select_related("suggestion", "department")
        .order_by("due_at", "id")
    )


def _committee_by_path(paths: set[str]) -> dict[str, list[User]]:
    prefixes = {prefix for path in paths for prefix in path_prefixes(path)}
    found: dict[str, list[User]] = defaultdict(list)
    staff = User.objects.filter(
        role=Role.COMMITTEE_STAFF, is_active=True, region__path__in=prefixes
    ).select_related("region")
    for user in staff:
        found[user.region.path].append(user)
    return found


def _above(path: str, by_path: dict[str, list[User]]) -> list[User]:
    """The committee staff of the nearest region above that has any."""
    return next((by_path[p] for p in reversed(path_prefixes(path)) if by_path.get(p)), [])


def send_reminders(now: datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = add_working_days(now, REMIND_DAYS).due_at
    assignments = list(_open(Q(due_at__lte=cutoff)))
    if not assignments:
        return 0
    handlers: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        role=Role.DEPARTMENT_HANDLER,
        is_active=True,
        department_id__in={a.department_id for a in assignments},
    ):
        handlers[user.department_id].append(user)
    committee = _committee_by_path({a.suggestion.region_path for a in assignments})
    batch = []
    with translation.override(settings.LANGUAGE_CODE):
        for a in assignments:
            s = a.suggestion
            overdue = a.due_at < now
            kind = "overdue" if overdue else "reminder"
            key = f"suggestion-assignment:{a.pk}:{int(a.due_at.timestamp())}:{kind}"
            facts = {
                "number": s.number,
                "title": s.title,
                "unit": a.department.name,
                "role": a.get_role_display(),
                "day": local_day(a.due_at).isoformat(),
                "key": gettext("[Key suggestion] ") if s.is_key else "",
            }
            if overdue:
                subject = gettext("%(key)sOverdue: suggestion %(number)s") % facts
                body = (
                    gettext(
                        "%(key)sSuggestion %(number)s “%(title)s” (%(unit)s, %(role)s) was due by "
                        "the end of %(day)s and is not answered."
                    )
                    % facts
                )
            else:
                subject = gettext("%(key)sSuggestion %(number)s is due on %(day)s") % facts
                body = (
                    gettext(
                        "%(key)sSuggestion %(number)s “%(title)s” (%(unit)s, %(role)s): the answer "
                        "is due by the end of %(day)s."
                    )
                    % facts
                )
            batch.append((handlers[a.department_id], key, subject, body))
            if overdue or s.is_key:
                supervisors = _above(s.region_path, committee)
                batch.append((supervisors, key + ":committee", subject, body))
    return notify_many(batch)
