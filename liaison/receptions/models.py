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
        indexes = [
            models.Index(fields=["station", "-received_on"]),
            # The years that have visits (records/years.py): the first and last, not a scan.
            models.Index(fields=["received_on"]),
        ]

    def __str__(self) -> str:
        # Never the visitor's name: this is the label audit events keep (docs/privacy.md).
        return f"{self.received_on} visit {self.pk}"

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


class RuleKind(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")
    CUSTOM = "custom", _("One date")


class OnHoliday(models.TextChoices):
    NEXT_WORKING_DAY = "next", _("Move to the next working day")
    SKIP = "skip", _("Skip")


class ReceptionRule(models.Model):
    """接待日 — when deputies receive visitors at a station (e.g. every Monday, the 15th of the
    month, 代表接待日). A day that is not a working day (holiday or weekend) moves or is skipped."""

    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.CASCADE,
        related_name="reception_rules",
    )
    kind = models.CharField(_("repeats"), max_length=10, choices=RuleKind.choices)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        null=True,
        blank=True,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), default=today)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    on_holiday = models.CharField(
        _("on a holiday"),
        max_length=10,
        choices=OnHoliday.choices,
        default=OnHoliday.NEXT_WORKING_DAY,
    )
    is_active = models.BooleanField(_("active"), default=True)
    # 线上预约: the reception is cut into slots of this length, each with this many places.
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    slot_capacity = models.PositiveSmallIntegerField(
        _("places per slot"), default=0, help_text=_("0 = no online booking for this reception.")
    )

    class Meta:
        verbose_name = _("reception rule")
        verbose_name_plural = _("reception rules")
        ordering = ["station", "start_time", "pk"]

    def __str__(self) -> str:
        return f"{self.station} {self.get_kind_display()} {self.start_time:%H:%M}"


class Duty(models.Model):
    """值班代表 — a deputy on duty at one reception (station, day, start time)."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="duties"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="duties"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now=True)
    # 出勤: None until staff record it after the reception; the performance record counts True.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(
        _("attendance recorded at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["date", "start_time", "deputy__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "date", "start_time", "deputy"], name="duty_once_per_reception"
            )
        ]
        indexes = [
            models.Index(fields=["station", "date"]),
            models.Index(fields=["deputy", "date"]),
            models.Index(fields=["attended", "date"]),  # records/years.py
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.start_time:%H:%M} {self.deputy}"


class GuestKind(models.TextChoices):
    """Who comes to a joint reception (联合接待) beside the deputies."""

    OFFICIAL = "official", _("Department official")  # 部门负责人进站, 代表约见
    POLICE = "police", _("Police officer")
    PROCURATOR = "procurator", _("Procurator")
    JUDGE = "judge", _("Judge")
    LAWYER = "lawyer", _("Lawyer")
    RESIDENT = "resident", _("Residents' representative")
    OTHER = "other", _("Other guest")


class Guest(models.Model):
    """An outside participant, named with their organisation: shown on the public schedule so
    that people know whom they can meet (a department head, a police officer, a lawyer)."""

    kind = models.CharField(_("kind"), max_length=16, choices=GuestKind.choices)
    name = models.CharField(_("name"), max_length=50)
    organisation = models.CharField(_("organisation"), max_length=100)
    role = models.CharField(
        _("role"), max_length=50, blank=True, help_text=_("e.g. deputy director")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class ReceptionGuest(Guest):
    """联合接待 — a guest at one reception of a station (station, day, start time), like a duty."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="guests"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))

    class Meta:
        verbose_name = _("reception guest")
        verbose_name_plural = _("reception guests")
        ordering = ["date", "start_time", "kind", "id"]
        indexes = [models.Index(fields=["station", "date"])]
