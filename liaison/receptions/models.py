"""Receptions: visitors received by deputies at a station (接待选民登记表).

One visit may raise several matters; each matter is its own case (channel "reception"), so it
follows the same workflow as an online message.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.cases.models import Case
from liaison.core.phones import LANDLINE_RE, MOBILE_RE, mask_phone, normalize_phone
from liaison.directory.models import Deputy, Station
from liaison.workdays.deadlines import local_day


def today():
    """Today in Asia/Shanghai (the reception day as the station counts it)."""
    return local_day(timezone.now())


def validate_contact_phone(value: str) -> None:
    """联系电话: a mobile or a landline with its area code."""
    phone = normalize_phone(value)
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number (e.g. 13812345678 or 0571-87654321)."),
            code="invalid_phone",
            params={"value": value},
        )


def is_mobile(value: str) -> bool:
    return bool(MOBILE_RE.match(normalize_phone(value)))


class Visit(models.Model):
    """接待登记 — one visitor received at a station."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="visits"
    )
    received_on = models.DateField(_("received on"), default=today)
    visitor_name = models.CharField(_("visitor's name"), max_length=50)
    visitor_phone = models.CharField(
        _("visitor's phone"), max_length=20, validators=[validate_contact_phone]
    )
    visitor_address = models.CharField(_("visitor's address"), max_length=200, blank=True)
    deputies = models.ManyToManyField(
        Deputy, verbose_name=_("receiving deputies"), related_name="visits", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["station", "-received_on"])]

    def __str__(self) -> str:
        return f"{self.received_on} {self.visitor_name}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.visitor_phone)


class VisitMatter(models.Model):
    """One matter raised during a visit (反映问题), with the proposed handling (拟办意见)."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="matters"
    )
    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="visit_matter"
    )
    proposed_handling = models.CharField(_("proposed handling"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("matter raised")
        verbose_name_plural = _("matters raised")
        ordering = ["visit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "position"], name="visit_matter_position")
        ]

    def __str__(self) -> str:
        return f"{self.visit} #{self.position}"
