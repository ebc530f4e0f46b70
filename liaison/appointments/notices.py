"""A booking made, moved or cancelled reaches the station's staff and the deputy on duty (the
hand-off table of docs/notifications.md): in the inbox, and by e-mail as each account chose."""

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext

from liaison.accounts.models import Role, User
from liaison.core.registry import notices
from liaison.notifications.services import tell_accounts
from liaison.receptions.models import Duty

from .models import Appointment

SUBJECTS = {
    "appointment.booked": lambda: gettext("New booking"),
    "appointment.moved": lambda: gettext("Booking moved"),
    "appointment.rescheduled": lambda: gettext("Booking moved by the citizen"),
    "appointment.cancelled": lambda: gettext("Booking cancelled"),
}


@notices.register
def notify(aggregate, event) -> None:
    if not isinstance(aggregate, Appointment) or event.verb not in SUBJECTS:
        return
    booking = aggregate
    with translation.override(settings.LANGUAGE_CODE):
        day = formats.date_format(booking.date, "DATE_FORMAT")
        when = f"{day} {booking.start_time:%H:%M}–{booking.end_time:%H:%M}"
        subject = f"{SUBJECTS[event.verb]()}: {when}"
        lines = [subject, gettext("Topic: %(topic)s") % {"topic": booking.topic}]
        if event.data.get("before"):
            lines.append(gettext("Was: %(before)s") % {"before": event.data["before"]})
        if event.data.get("reason"):
            lines.append(gettext("Reason: %(reason)s") % {"reason": event.data["reason"]})
    link = reverse("appointments:staff-detail", args=[booking.pk])
    tell_accounts(
        _who(booking), f"appointment-event:{event.pk}:notice", subject, "\n".join(lines), link=link
    )


def _who(booking: Appointment) -> list[User]:
    """The station's staff, and the deputy chosen — or, with none chosen, those on duty then."""
    if booking.deputy_id:
        deputies = [booking.deputy_id]
    else:
        deputies = Duty.objects.filter(
            station_id=booking.station_id, date=booking.date, start_time=booking.reception_start
        ).values_list("deputy_id", flat=True)
    accounts = User.objects.filter(is_active=True).filter(
        role=Role.STATION_STAFF, station_id=booking.station_id
    ) | User.objects.filter(is_active=True, role=Role.DEPUTY, deputy_id__in=list(deputies))
    return list(accounts.order_by("pk"))
