"""工作台 — what formal suggestions add to the staff workspace."""

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.accounts.workspace import WorkItem, day, flag, url
from liaison.core import registry

from .models import ACTIVE_STATES, CoSigner, SuggestionAssignment
from .selectors import overdue_condition, visible_assignments, visible_suggestions
from .workflow import EDITABLE, Status


@registry.workspace.register
def items(user, today, now) -> list[WorkItem]:
    if user.is_administrator or user.role == Role.COMMITTEE_STAFF:
        return _committee_suggestions(user, now)
    if user.role == Role.STATION_STAFF:
        return _station_suggestions(user)
    if user.role == Role.DEPUTY:
        return _deputy_suggestions(user)
    if user.role == Role.DEPARTMENT_HANDLER:
        return _department_suggestions(user, now)
    return []


def _suggestion_counts(user, **conditions: Q) -> dict[str, int]:
    counts = visible_suggestions(user).aggregate(
        **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
    )
    return {key: value or 0 for key, value in counts.items()}


def _suggestion_item(key, label, count, status="", colour="yellow") -> WorkItem:
    return WorkItem(key, label, url("suggestions:list", status=status), count, flag(count, colour))


def _station_suggestions(user) -> list[WorkItem]:
    counts = _suggestion_counts(
        user, drafts=Q(status=Status.DRAFT), returned=Q(status=Status.RETURNED)
    )
    return [
        _suggestion_item(
            "work-suggestion-drafts",
            _("Suggestion drafts"),
            counts["drafts"],
            Status.DRAFT,
            colour="",
        ),
        _suggestion_item(
            "work-suggestions-returned",
            _("Suggestions returned for changes"),
            counts["returned"],
            Status.RETURNED,
        ),
    ]


def _assignment_counts(user, now, **conditions: Q) -> dict[str, int]:
    counts = visible_assignments(user).aggregate(
        **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
    )
    return {key: value or 0 for key, value in counts.items()}


def _committee_suggestions(user, now) -> list[WorkItem]:
    counts = _suggestion_counts(
        user, to_check=Q(status=Status.SUBMITTED), to_assign=Q(status=Status.ACCEPTED)
    )
    handling = _assignment_counts(
        user,
        now,
        changes=Q(state=SuggestionAssignment.State.CHANGE_REQUESTED),
        overdue=overdue_condition(now),
    )
    return [
        _suggestion_item(
            "work-suggestions-to-check",
            _("Suggestions to check"),
            counts["to_check"],
            Status.SUBMITTED,
        ),
        _suggestion_item(
            "work-suggestions-to-assign",
            _("Suggestions to assign"),
            counts["to_assign"],
            Status.ACCEPTED,
        ),
        WorkItem(
            "work-change-requests",
            _("Requests to change an assignment"),
            url("suggestions:assignments", state=SuggestionAssignment.State.CHANGE_REQUESTED),
            handling["changes"],
            flag(handling["changes"]),
        ),
        WorkItem(
            "work-assignments-overdue",
            _("Overdue suggestion assignments"),
            url("suggestions:assignments", overdue="on"),
            handling["overdue"],
            flag(handling["overdue"], "red"),
        ),
    ]


def _deputy_suggestions(user) -> list[WorkItem]:
    unconfirmed = CoSigner.objects.filter(deputy_id=user.deputy_id, confirmed_at__isnull=True)
    counts = _suggestion_counts(
        user,
        cosign=Q(status__in=EDITABLE, pk__in=unconfirmed.values("suggestion_id")),
        returned=Q(status=Status.RETURNED, lead_deputy_id=user.deputy_id),
        evaluate=Q(status=Status.ANSWERED, lead_deputy_id=user.deputy_id),
    )
    return [
        _suggestion_item(
            "work-cosign", _("Suggestions awaiting my co-signature"), counts["cosign"]
        ),
        _suggestion_item(
            "work-my-suggestions-returned",
            _("My suggestions returned for changes"),
            counts["returned"],
            Status.RETURNED,
        ),
        _suggestion_item(
            "work-answers-to-evaluate",
            _("Answers awaiting my evaluation"),
            counts["evaluate"],
            Status.ANSWERED,
        ),
    ]


def _department_suggestions(user, now) -> list[WorkItem]:
    active = visible_assignments(user).filter(state__in=ACTIVE_STATES)
    counts = active.aggregate(
        handling=Count("pk", filter=Q(state=SuggestionAssignment.State.HANDLING)),
        overdue=Count("pk", filter=overdue_condition(now)),
        next_due=Min("due_at", filter=Q(due_at__gte=now)),
    )
    meta = ""
    if counts["next_due"]:
        meta = str(_("next due %(day)s")) % {"day": day(timezone.localtime(counts["next_due"]))}
    return [
        WorkItem(
            "work-assignments-handling",
            _("Suggestion assignments to handle"),
            url("suggestions:assignments", state=SuggestionAssignment.State.HANDLING),
            counts["handling"],
            meta=meta,
        ),
        WorkItem(
            "work-assignments-overdue",
            _("Overdue suggestion assignments"),
            url("suggestions:assignments", overdue="on"),
            counts["overdue"],
            flag(counts["overdue"], "red"),
        ),
    ]
