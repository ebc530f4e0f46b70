"""热点 pages (thin): one hot topic's cases within the viewer's scope, and "handle together"
(合并办理, services.handle_together). The list comes from `queues.scoped_cases` (the permission
table): a case the viewer may not see is neither listed nor counted by number."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext

from liaison.core.errors import ConcurrentChange, NotAllowed, TransitionRefused
from liaison.core.permissions import may_at_all
from liaison.directory.models import Department
from liaison.triage.models import Hotspot

from . import queues, services
from .workflow import FINAL, Status

SHOWN = 200  # a page lists at most this many of a cluster's cases
LEAD_STATUSES = {Status.TO_ASSIGN, Status.ASSIGNED, Status.IN_PROGRESS}  # assignable now


def _hotspot_or_404(user, pk: int) -> Hotspot:
    """A hot topic of a place the account covers, or one its place lies in (a county's staff
    see their own cases of a city's topic)."""
    hotspot = Hotspot.objects.filter(pk=pk).first()
    if hotspot is None:
        raise Http404(gettext("This hot topic is no longer listed; the list is renewed nightly."))
    if not user.is_administrator:
        mine = user.region.path if user.region_id else None
        if mine is None or not (
            mine.startswith(hotspot.region_path) or hotspot.region_path.startswith(mine)
        ):
            raise Http404(
                gettext("This hot topic is no longer listed; the list is renewed nightly.")
            )
    return hotspot


def departments_for(hotspot: Hotspot):
    """Active departments of the hot topic's region, above it or below it (a street's office for
    a street's lead case). The assignment service still checks that one covers the lead case."""
    parts = [p for p in hotspot.region_path.strip("/").split("/") if p]
    paths = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    return (
        Department.objects.filter(is_active=True)
        .filter(Q(region__path__in=paths) | Q(region__path__startswith=hotspot.region_path))
        .select_related("region")
        .order_by("level", "name")
    )


@login_required
def hotspot(request, pk: int):
    user = request.user
    if not may_at_all(user, "case.supervise"):
        raise PermissionDenied(gettext("Your account does not handle hot topics."))
    topic = _hotspot_or_404(user, pk)
    cases = list(
        queues.scoped_cases(user)
        .filter(pk__in=topic.members)
        .select_related("station", "category", "merged_into")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    departments = list(departments_for(topic))
    context = {
        "hotspot": topic,
        "cases": cases,
        "open_cases": [c for c in cases if c.status not in FINAL],
        "leads": [c for c in cases if c.status in LEAD_STATUSES],
        "departments": departments,
        "outcome": None,
        "error": "",
    }
    status = 200
    if request.method == "POST":
        status = _handle(request, topic, cases, departments, context)
    return render(request, "cases/staff/hotspot.html", context, status=status)


def _handle(request, topic, cases, departments, context) -> int:
    user = request.user
    by_number = {c.tracking_number: c for c in cases}
    lead = by_number.get(request.POST.get("lead", ""))
    if lead is None:
        context["error"] = gettext("Choose the lead case among this hot topic's cases.")
        return 400
    department = next((d for d in departments if d.code == request.POST.get("department")), None)
    # What the page showed: "<id>:<status>" per case, so that a change since is reported.
    seen = {}
    for value in request.POST.getlist("seen"):
        pk, _sep, status = value.partition(":")
        if pk.isdigit() and status in Status.values:
            seen[int(pk)] = status
    try:
        outcome = services.handle_together(
            topic,
            lead=lead,
            department=department,
            actor=user,
            seen=seen,
            to_citizen=request.POST.get("to_citizen", "").strip()[:500],
        )
    except ValidationError as refused:
        context["error"] = " ".join(refused.messages)
        return 400
    except NotAllowed as refused:
        context["error"] = str(refused)
        return 403
    except (ConcurrentChange, TransitionRefused) as refused:
        context["error"] = str(refused)
        return 409
    context["outcome"] = outcome
    # The list again, as it is now.
    context["cases"] = list(
        queues.scoped_cases(user)
        .filter(pk__in=topic.members)
        .select_related("station", "category", "merged_into")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    context["open_cases"] = [c for c in context["cases"] if c.status not in FINAL]
    context["leads"] = [c for c in context["cases"] if c.status in LEAD_STATUSES]
    return 200
