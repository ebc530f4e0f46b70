"""Which case events `liaison audit verify --case/--region` checks (core/registry.audit_scope)."""

from django.utils.translation import gettext

from liaison.core import registry
from liaison.directory.models import Region

from .models import Case, CaseEvent


@registry.audit_scope.register
def scope(option: str, value: str) -> dict:
    if option == "case":
        cases = Case.objects.filter(tracking_number=value)
        if not cases.exists():
            raise LookupError(gettext("No case has the number %(number)s.") % {"number": value})
    elif option == "region":
        region = Region.objects.filter(code=value).first()
        if region is None:
            raise LookupError(gettext("No region has the code %(code)s.") % {"code": value})
        cases = Case.objects.filter(region_path__startswith=region.path)
    else:
        return {}
    return {CaseEvent: CaseEvent.objects.filter(case__in=cases.values("pk"))}
