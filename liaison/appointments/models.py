"""线上预约 — citizens' bookings of reception slots, and the codes that confirm their phones."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.phones import mask_phone
from liaison.directory.models import Deputy, Station
from liaison.notifications.models import OneTimeCode
from liaison.receptions.models import Visit


class AppointmentStatus(models.TextChoices):
    PENDING = "pending", _("Phone not confirmed")
    BOOKED = "booked", _("Booked")
    CONFIRMED = "confirmed", _("Confirmed by the station")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not come")
    ATTENDED = "attended", _("Received")


class Appointment(models.Model):
    """线上预约 — a citizen's booking of one slot of a station's reception, optionally with a
    deputy on duty. Takes a place once the phone is confirmed by SMS code (see services.py)."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="appointments"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    # The reception's own start: duties are keyed by it (Duty.start_time).
    reception_start = models.TimeField(_("reception starts"))
    deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    topic = models.CharField(_("topic"), max_length=200)
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20)
    code = models.CharField(_("booking code"), max_length=8, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.PENDING,
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    visit = models.OneToOneField(
        Visit,
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    verified_at = models.DateTimeField(_("phone confirmed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        db_table = "receptions_appointment"
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["date", "start_time", "pk"]
        indexes = [
            models.Index(fields=["station", "date", "start_time"]),
            models.Index(fields=["status", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.date} {self.start_time:%H:%M}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class AppointmentCode(OneTimeCode):
    """A one-time SMS code confirming the phone of a new booking. Only a hash is stored."""

    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="phone_codes",
    )

    class Meta:
        # The app was split out of receptions; the tables kept their names.
        db_table = "receptions_appointmentcode"
        verbose_name = _("booking code")
        verbose_name_plural = _("booking codes")
        ordering = ["appointment", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.appointment.code} {self.created_at:%Y-%m-%d %H:%M}"
