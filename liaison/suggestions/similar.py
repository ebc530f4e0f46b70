"""相似建议 — which suggestions of the last 90 days a suggestion under review resembles, so that a
committee worker sees a duplicate (two deputies raising the same matter) before registering it.

The text comparison is the triage app's (liaison/triage/similarity.py: content bigrams, plus
category; "place" is the lead deputy's region). Candidates are the suggestions the reviewer may
see (selectors.visible_suggestions: the permission table's `suggestion.view` row), submitted in
the last 90 days, not withdrawn; the 1,000 most recent are compared. Suggestions have no merge:
each is a link to open, and to link as related (services/related.py). Empty or very short text:
nothing.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext

from liaison.triage import similarity

from . import selectors
from .models import Suggestion
from .workflow import Status

SIMILAR_DAYS = 90
SIMILAR_CANDIDATES = 1000


@dataclass
class SimilarSuggestion:
    suggestion: Suggestion
    similarity: float
    why: str


def suggestion_text(s: Suggestion) -> str:
    return f"{s.title}\n{s.reasons}\n{s.proposals}"


def _candidate(s: Suggestion) -> similarity.Candidate:
    # The region path stands for the place: the same county's deputies raise the same streets.
    return similarity.Candidate(s.pk, suggestion_text(s), s.category_id, s.region_path)


def similar_suggestions(s: Suggestion, user, limit: int = 5) -> list[SimilarSuggestion]:
    """The suggestions of the last 90 days that `user` may see most like `s`, best first."""
    since = timezone.now() - timedelta(days=SIMILAR_DAYS)
    rows = list(
        selectors.visible_suggestions(user)
        .filter(submitted_at__gte=since)
        .exclude(status=Status.WITHDRAWN)
        .exclude(pk=s.pk)
        .select_related("lead_deputy")
        .only(
            "number",
            "title",
            "reasons",
            "proposals",
            "category_id",
            "region_path",
            "status",
            "submitted_at",
            "lead_deputy__name",
        )
        .order_by("-submitted_at", "-id")[:SIMILAR_CANDIDATES]
    )
    by_pk = {row.pk: row for row in rows}
    matches = similarity.similar(_candidate(s), [_candidate(r) for r in rows], limit=limit)
    same_region = gettext("same region")
    found = [SimilarSuggestion(by_pk[m.key], m.similarity, m.why(same_region)) for m in matches]
    return found
