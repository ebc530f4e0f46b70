"""合并办理 — a hot topic (热点, liaison/triage) handled as one collective matter: one lead case
is assigned to one department, and every other open message of the cluster follows it as in a
merge (its citizen is told by the merge's own SMS, and hears the lead's answer)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.errors import ConcurrentChange, NotAllowed, TransitionRefused
from liaison.core.permissions import may, require
from liaison.directory.models import Department
from liaison.triage.models import Hotspot

from ..models import ACTIVE_ASSIGNMENT_STATES, Assignment, Case
from ..workflow import FINAL, MACHINE, Action, Status
from .assignment import assign_case
from .mechanics import NOT_YOURS, case_event
from .merge import merge_case


@dataclass
class Skipped:
    number: str
    reason: str
    concurrent: bool = False  # someone else changed it since the page was shown


@dataclass
class Together:
    lead: Case
    department: Department
    merged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    hidden: int = 0  # messages of the cluster outside the actor's scope: not named, not touched


def _final_reason(case: Case) -> str:
    if case.status == Status.MERGED and case.merged_into_id:
        return gettext("already merged into %(number)s") % {
            "number": case.merged_into.tracking_number
        }
    return gettext("already finished: %(status)s") % {"status": case.get_status_display()}


@transaction.atomic
def handle_together(
    hotspot: Hotspot,
    *,
    lead: Case,
    department: Department,
    actor,
    seen: dict[int, str] | None = None,
    to_citizen: str = "",
) -> Together:
    """Assign `lead` to `department` and let every other open case of `hotspot` follow it.

    `seen`: {case id: status} as the actor's page showed them; a case that moved since is
    skipped and reported (never merged on a stale view). Cases already closed or merged, or that
    the actor may not review, are skipped; the answer says which and why (those outside the
    scope only by number of cases). One transaction: a refused lead or department changes
    nothing at all."""
    if not isinstance(department, Department) or not department.is_active:
        raise ValidationError({"department": _("Choose an active department.")})
    if lead.pk not in set(hotspot.members):
        raise ValidationError(
            {"lead": _("The lead case must be one of this hot topic's messages.")}
        )
    require(actor, "case.supervise", lead, NOT_YOURS)
    if seen and lead.pk in seen:
        lead.status = seen[lead.pk]
    # The lead first: a wrong department or a lead that cannot be assigned refuses it all.
    already = Assignment.objects.filter(
        case=lead,
        role=Assignment.Role.LEAD,
        department=department,
        state__in=ACTIVE_ASSIGNMENT_STATES,
    ).exists()
    if not already:
        lead = assign_case(lead, actor=actor, lead_department=department)
    outcome = Together(lead, department)
    followers = (
        Case.objects.filter(pk__in=hotspot.members)
        .exclude(pk=lead.pk)
        .select_related("merged_into", "category", "station")
        .order_by("pk")
    )
    for case in followers:
        if not may(actor, "case.review", case):
            outcome.hidden += 1
            continue
        if case.status in FINAL:
            outcome.skipped.append(Skipped(case.tracking_number, _final_reason(case)))
            continue
        if seen and case.pk in seen and seen[case.pk] != case.status:
            # Moved since the page was shown (accepted meanwhile, say): a merge would still be
            # allowed, but not on what the worker saw. Never on a stale view.
            moved = MACHINE.changed(case, Action.MERGE)
            outcome.skipped.append(Skipped(case.tracking_number, moved, concurrent=True))
            continue
        try:
            with transaction.atomic():
                merge_case(
                    case,
                    lead,
                    actor=actor,
                    note=gettext("Handled together: %(label)s") % {"label": hotspot.label},
                    to_citizen=to_citizen,
                )
        except ConcurrentChange as moved:
            outcome.skipped.append(Skipped(case.tracking_number, str(moved), concurrent=True))
        except (TransitionRefused, NotAllowed) as refused:
            outcome.skipped.append(Skipped(case.tracking_number, str(refused)))
        except ValidationError as refused:
            outcome.skipped.append(Skipped(case.tracking_number, " ".join(refused.messages)))
        else:
            outcome.merged.append(case.tracking_number)
    case_event(
        lead,
        "case.handled_together",
        actor=actor,
        from_status=lead.status,
        is_public=False,
        hotspot=hotspot.pk,
        topic=hotspot.label,
        department=department.name,
        merged=outcome.merged,
        skipped=[s.number for s in outcome.skipped],
        outside_scope=outcome.hidden,
    )
    return outcome
