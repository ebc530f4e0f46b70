"""Reads of receptions that need scoping or care (the visitor's phone, PIPL)."""

from liaison.core.audit import record
from liaison.core.permissions import may, restrict

from .models import Visit


def visible_visits(user):
    return restrict(Visit.objects.all(), user).select_related("station")


def may_see_full_phone(user, visit: Visit) -> bool:
    """Staff of the visit's station call the visitor back; everyone else sees it masked."""
    return may(user, "visit.see_full_phone", visit)


def visitor_phone(visit: Visit, user) -> str:
    """The number as `user` may see it; every full view is logged."""
    if not may_see_full_phone(user, visit):
        return visit.masked_phone
    record("visit.phone_viewed", actor=user, obj=visit)
    return visit.visitor_phone
