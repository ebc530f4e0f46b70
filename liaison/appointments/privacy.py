"""The personal data of bookings (docs/privacy.md, liaison/core/privacy.py) and its retention."""

from datetime import datetime

from liaison.core import privacy, registry

from .models import Appointment

privacy.declare(
    Appointment,
    ["name", "phone"],
    what="Name and mobile of who booked a reception (线上预约)",
    purpose="The booking's confirmation and reminders by SMS; the station calls back.",
    full="The name: who sees the booking (its station, the committee above it, administrators). "
    "The phone: staff of the booking's station after “show”, logged "
    "(`appointment.see_full_phone`).",
    masked="The phone, to committee staff, administrators, the staff API and the citizen's own "
    "booking page.",
    hidden="Deputies, departments, public pages.",
    kept=privacy.KEPT_BOOKING,
)
privacy.access_verbs("appointment.phone_viewed")


@registry.retention.register
def anonymise(cutoff: datetime) -> dict[str, int]:
    """Bookings whose day is before the cutoff day: over, whatever became of them."""
    count = privacy.blank_fields(
        Appointment.objects.filter(date__lt=cutoff.date()), "name", "phone"
    )
    return {"bookings": count}
