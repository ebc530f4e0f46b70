"""分办建议 and 相似留言 for one case, from the triage app (liaison/triage): the departments the
model learned from past assignments, with a reason a committee worker can check, and the open
cases of the reviewer's scope that the message resembles. Suggestions only: nothing is
preselected, and the routing rules (selectors.suggested_departments) stay the cold start and the
administrator's override."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from liaison.directory.models import Department, path_prefixes
from liaison.triage import services as triage
from liaison.triage import similarity

from . import queues
from .models import Case
from .workflow import FINAL

SIMILAR_DAYS = 90
SIMILAR_CANDIDATES = 1000  # the most recent open cases in scope compared with the message


@dataclass
class DepartmentHint:
    department: Department
    score: float
    reason: str


@dataclass
class SimilarCase:
    case: Case
    similarity: float
    why: str


def case_text(case: Case) -> str:
    return f"{case.title}\n{case.description}"


def department_hints(case: Case, limit: int = 3) -> list[DepartmentHint]:
    """The model's top departments among the active ones that cover the case's region."""
    allowed = {
        d.pk: d
        for d in Department.objects.filter(
            is_active=True, region__path__in=path_prefixes(case.region_path)
        )
    }
    if not allowed:
        return []
    found = triage.suggest(
        case_text(case), case.category_id, case.region_path, allowed=set(allowed), limit=limit
    )
    hints = []
    for suggestion in found:
        department = allowed[suggestion.department]
        reasons = []
        if suggestion.similar and suggestion.handled:
            reasons.append(
                gettext(
                    "%(handled)d of the %(similar)d similar messages were handled by %(department)s"
                )
                % {
                    "handled": suggestion.handled,
                    "similar": suggestion.similar,
                    "department": department.name,
                }
            )
        if suggestion.keywords:
            reasons.append(
                gettext("Keywords: %(words)s") % {"words": "、".join(suggestion.keywords)}
            )
        if not reasons:
            reasons.append(gettext("Learned from past assignments of this category and region"))
        hints.append(DepartmentHint(department, suggestion.score, "; ".join(reasons)))
    return hints


def similar_cases(case: Case, user, limit: int = 5) -> list[SimilarCase]:
    """The open cases of the last 90 days that `user` may see (the permission table decides:
    queues.scoped_cases) most like this one, best first. None for a closed case."""
    if case.status in FINAL:
        return []
    since = timezone.now() - timedelta(days=SIMILAR_DAYS)
    rows = list(
        queues.scoped_cases(user)
        .filter(~Q(status__in=FINAL), created_at__gte=since)
        .exclude(pk=case.pk)
        .only(
            "tracking_number",
            "title",
            "description",
            "category_id",
            "station_id",
            "location_text",
            "status",
            "created_at",
        )
        .order_by("-created_at", "-id")[:SIMILAR_CANDIDATES]
    )
    by_number = {row.tracking_number: row for row in rows}

    def candidate(c: Case) -> similarity.Candidate:
        return similarity.Candidate(
            c.tracking_number, case_text(c), c.category_id, c.station_id, c.location_text
        )

    matches = similarity.similar(candidate(case), [candidate(r) for r in rows], limit=limit)
    same_place = gettext("same station or place")
    found = [SimilarCase(by_number[m.key], m.similarity, m.why(same_place)) for m in matches]
    return found
