"""Which suggestion events `liaison audit verify --region` checks (core/registry.audit_scope)."""

from liaison.core import registry
from liaison.directory.models import Region

from .models import Suggestion, SuggestionEvent


@registry.audit_scope.register
def scope(option: str, value: str) -> dict:
    # An unknown code is the cases app's to report; a case number names no suggestion.
    region = Region.objects.filter(code=value).first() if option == "region" else None
    if region is None:
        return {}
    suggestions = Suggestion.objects.filter(region_path__startswith=region.path)
    events = SuggestionEvent.objects.filter(suggestion__in=suggestions.values("pk"))
    return {SuggestionEvent: events}
