"""Reads of receptions that need scoping or care (the visitor's phone, PIPL)."""

from liaison.core.audit import record
from liaison.core.permissions import may, restrict

from .models import Visit


def visible_visits(user):
    return restrict(Visit.objects.all(), user).select_related("station")


def visitor_phone(visit: Visit, user, *, surface: str) -> str:
    """The number as `user` may see it ("visit.see_full_phone": staff of the visit's station
    call the visitor back); every full view is logged."""
    if not may(user, "visit.see_full_phone", visit):
        return visit.masked_phone
    record("visit.phone_viewed", actor=user, obj=visit, surface=surface)
    return visit.visitor_phone
