from django.utils.functional import SimpleLazyObject

from .selectors import missing_years


def calendar_warnings(request):
    """`workdays_missing_years` for the administrators' banner; read only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_administrator:
        return {"workdays_missing_years": []}
    return {"workdays_missing_years": SimpleLazyObject(missing_years)}
