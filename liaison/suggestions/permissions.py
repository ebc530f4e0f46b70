"""The permission table's rows for formal suggestions (liaison/core/permissions.py)."""

from django.db.models import Q

from liaison.accounts.rules import Role, is_deputy, of_department, region_covers, speaks_for
from liaison.core.permissions import register

from .models import CoSigner, Suggestion, SuggestionAssignment

COMMITTEE, STATION, DEPUTY, DEPARTMENT = (
    Role.COMMITTEE_STAFF,
    Role.STATION_STAFF,
    Role.DEPUTY,
    Role.DEPARTMENT_HANDLER,
)

# 代表建议: the committee sees what was submitted to it; a station its deputies' drafts too.
_suggestions = {
    COMMITTEE: lambda user: Q(region_path__startswith=user.region.path, submitted_at__isnull=False),
    STATION: lambda user: (
        Q(station_id=user.station_id) | Q(lead_deputy__stations__pk=user.station_id)
    ),
    DEPUTY: lambda user: Q(lead_deputy_id=user.deputy_id) | Q(cosigners__deputy_id=user.deputy_id),
    DEPARTMENT: of_department("assignments__department_id"),
}
register("suggestion.view", Suggestion, _suggestions)
register("suggestion.change", Suggestion, _suggestions)


def _through_suggestion(role):
    return lambda user: Q(
        suggestion__in=Suggestion.objects.filter(_suggestions[role](user)).values("pk")
    )


_assignments = {
    COMMITTEE: _through_suggestion(COMMITTEE),
    STATION: _through_suggestion(STATION),
    DEPUTY: _through_suggestion(DEPUTY),
    DEPARTMENT: of_department("department_id"),
}
register("suggestionassignment.view", SuggestionAssignment, _assignments)
register("suggestionassignment.change", SuggestionAssignment, _assignments)

register(
    "suggestion.speak_for_lead",
    Suggestion,
    speaks_for("lead_deputy_id"),
    doc="Draft, edit, submit, withdraw and evaluate in the lead deputy's name: the lead deputy, "
    "or staff of a station the lead deputy sits in.",
)
register(
    "suggestion.supervise",
    Suggestion,
    {COMMITTEE: region_covers("region_path")},
    doc="Check, register, return, assign, decide changes and mark for key supervision (重点督办).",
)
register(
    "cosigner.confirm",
    CoSigner,
    {DEPUTY: is_deputy("deputy_id")},
    doc="Confirm or decline a co-signature (附议): the co-signing deputy only, from their own "
    "account; nobody signs for them.",
    administrators=False,
)
register(
    "suggestionassignment.handle",
    SuggestionAssignment,
    {DEPARTMENT: of_department("department_id")},
    doc="Ask for a change of assignment, send the opinion (会办/协办意见), answer (答复): "
    "handlers of the assigned unit, for their own unit's part.",
    administrators=False,
)
