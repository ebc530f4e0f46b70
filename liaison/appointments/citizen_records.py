""" "My messages and bookings" (liaison/cases/mine.py): the bookings under a proven mobile."""

from django.urls import reverse

from liaison.core import registry

from .models import Appointment, AppointmentStatus
from .views import _unlock


@registry.citizen_records.register
def bookings(request, phone: str, *, unlock: bool) -> list[dict]:
    found = list(
        Appointment.objects.exclude(status=AppointmentStatus.PENDING)
        .filter(phone=phone)
        .select_related("station")
        .order_by("-date", "-start_time", "-pk")
    )
    if unlock:
        for appointment in found:
            _unlock(request, appointment)  # its page opens without the code and digits
    return [
        {
            "kind": "booking",
            "number": appointment.code,
            "title": appointment.station.name,
            "status": AppointmentStatus(appointment.status).label,
            "date": appointment.date,
            "time": appointment.start_time,
            "url": reverse("appointments:manage", args=[appointment.code]),
        }
        for appointment in found
    ]
