"""Reads of bookings (线上预约) that need scoping or care: the staff list with its filters, and the
citizen's phone (PIPL: masked unless the account is staff of the booking's station; every full view
is logged)."""

from django.db.models import Q

from liaison.core.audit import record
from liaison.core.permissions import may, restrict

from .models import Appointment, AppointmentStatus

SORTS = {
    "date": ("date", "start_time", "pk"),
    "-date": ("-date", "-start_time", "-pk"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
}


def visible_appointments(user):
    """Bookings whose phone is confirmed, in the account's scope (restrict())."""
    return (
        restrict(Appointment.objects.all(), user)
        .exclude(status=AppointmentStatus.PENDING)
        .select_related("station", "deputy")
    )


def filtered(queryset, *, station=None, day=None, status="", q="", sort="date"):
    if station is not None:
        queryset = queryset.filter(station=station)
    if day is not None:
        queryset = queryset.filter(date=day)
    if status:
        queryset = queryset.filter(status=status)
    q = (q or "").strip()
    if q:
        digits = "".join(ch for ch in q if ch.isdigit())
        match = Q(name__icontains=q) | Q(topic__icontains=q)
        if len(digits) == 8:
            match |= Q(code=digits)
        if len(digits) == 4:
            match |= Q(phone__endswith=digits)
        queryset = queryset.filter(match)
    return queryset.order_by(*SORTS.get(sort, SORTS["date"]))


def citizen_phone(appointment: Appointment, user, *, surface: str) -> str:
    """The number as `user` may see it ("appointment.see_full_phone": staff of the booking's
    station call the citizen back); every full view is logged."""
    if not may(user, "appointment.see_full_phone", appointment):
        return appointment.masked_phone
    record("appointment.phone_viewed", actor=user, obj=appointment, surface=surface)
    return appointment.phone
