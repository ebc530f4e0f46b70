"""What no person does: closing unrated cases, recomputing deadlines, configuration rows."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from liaison.core.permissions import require
from liaison.workdays.deadlines import Calendar, add_working_days

from ..models import (
    ACTIVE_ASSIGNMENT_STATES,
    Case,
    ReferralChannel,
)
from ..workflow import MACHINE, Action, Status
from .mechanics import DUE_FIELDS, NOT_YOURS, _finish, _save, _set_due, case_event, days

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
            to = MACHINE.target(locked.status, Action.AUTO_CLOSE)
            from_status = locked.status
            fields = _finish(locked, to, now)
            _save(locked, *fields)
            with translation.override(settings.LANGUAGE_CODE):
                label = gettext("System")
            case_event(locked, "case.auto_closed", actor=None, from_status=from_status, label=label)
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
            case_event(
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

    require(actor, "referralchannel.change", channel, NOT_YOURS)
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

    require(actor, "routingrule.change", rule, NOT_YOURS)
    created = rule.pk is None
    rule.full_clean()
    rule.save()
    audit.record(
        "routing_rule.created" if created else "routing_rule.changed",
        actor=actor,
        obj=rule,
        fields=list(changed_fields),
    )
