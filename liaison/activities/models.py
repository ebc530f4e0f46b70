"""Activities (活动) a station announces — 约您共学, 民情恳谈会, 向选民述职 … —
and citizens' sign-ups (报名). A committee may also hold an activity at district level without a
station (区级活动): it then has a region instead."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.core.phones import mask_phone, validate_mobile
from liaison.directory.models import Department, Deputy, Region, Station, new_public_code
from liaison.notifications.models import OneTimeCode
from liaison.receptions.models import Guest

# Check-in opens this long before the start (people arrive early) and closes at the end.
CHECK_IN_OPENS_BEFORE = timedelta(hours=1)


def new_checkin_code() -> str:
    """The secret in the venue's check-in QR code (签到码): unlike public_code it is printed only
    at the venue, so knowing the public page does not let anyone check in from home."""
    return secrets.token_urlsafe(12)


class ActivityKind(models.Model):
    """A configurable kind of activity; the first list comes from the articles (migration 0002)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=80)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


class Activity(models.Model):
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="activities",
        null=True,
        blank=True,
        help_text=_("Leave empty for an activity of the region itself (区级活动)."),
    )
    # 区级活动: an activity the committee of a region holds without a station. Set exactly when
    # there is no station (the constraint below); a station's activity takes its station's region.
    region = models.ForeignKey(
        Region,
        verbose_name=_("region (without a station)"),
        on_delete=models.PROTECT,
        related_name="activities",
        null=True,
        blank=True,
        help_text=_("For an activity held at district level without a station."),
    )
    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description and agenda"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    deputies = models.ManyToManyField(
        Deputy, verbose_name=_("invited deputies"), related_name="activities", blank=True
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), related_name="activities", blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus, default=ActivityStatus.DRAFT
    )
    # Recorded once the activity is held (活动纪要): the performance record counts the deputies
    # who attended, not those invited.
    attended_deputies = models.ManyToManyField(
        Deputy,
        verbose_name=_("deputies who attended"),
        related_name="activities_attended",
        blank=True,
    )
    minutes = models.TextField(_("minutes"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    public_code = models.CharField(
        _("public code"), max_length=16, unique=True, editable=False, default=new_public_code
    )
    checkin_code = models.CharField(
        _("check-in code"), max_length=32, unique=True, editable=False, default=new_checkin_code
    )
    allow_walk_ins = models.BooleanField(
        _("walk-ins may check in"),
        default=True,
        help_text=_("People who did not sign up can check in at the venue with their phone."),
    )
    held_at = models.DateTimeField(_("recorded as held at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            # A region's calendar reads a month of each of its stations (bench/engagement_scale.py).
            models.Index(fields=["station", "starts_at"]),
            models.Index(fields=["region", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(station__isnull=False, region__isnull=True)
                | Q(station__isnull=True, region__isnull=False),
                name="activity_station_or_region",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def host_name(self) -> str:
        """Who holds it, for the pages: the station, or the region of a district activity."""
        if self.station_id:
            return self.station.name
        return self.region.name if self.region_id else ""

    @property
    def host_region(self):
        """The region the activity belongs to: its station's, or its own."""
        return self.station.region if self.station_id else self.region

    @property
    def check_in_opens_at(self):
        return self.starts_at - CHECK_IN_OPENS_BEFORE


class SignUp(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="signups"
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, validators=[validate_mobile])
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    # Online sign-ups: when the privacy notice was accepted (empty for walk-ins and older rows).
    privacy_accepted_at = models.DateTimeField(
        _("privacy notice accepted at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "id"]
        constraints = [
            # Anonymised sign-ups (retention, docs/privacy.md) keep an empty phone.
            models.UniqueConstraint(
                fields=["activity", "phone"],
                condition=~Q(phone=""),
                name="signup_once_per_phone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.masked_phone}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class PendingSignUp(models.Model):
    """An online sign-up waiting for its SMS code, as a new message waits for its code
    (liaison/cases/verification.py): it takes no place until the phone is confirmed, and is
    deleted after a day if it never is (PIPL)."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="pending_signups",
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, validators=[validate_mobile])
    language = models.CharField(_("language"), max_length=10, blank=True)
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sign-up waiting for its code")
        verbose_name_plural = _("sign-ups waiting for their code")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.activity} {self.masked_phone}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class SignUpCode(OneTimeCode):
    """A one-time SMS code confirming the phone of an online sign-up. Only a hash is stored."""

    pending = models.ForeignKey(
        PendingSignUp,
        verbose_name=_("sign-up waiting for its code"),
        on_delete=models.CASCADE,
        related_name="phone_codes",
    )

    class Meta:
        verbose_name = _("sign-up code")
        verbose_name_plural = _("sign-up codes")
        ordering = ["pending", "-created_at", "-id"]


def _photo_path(instance, filename: str) -> str:
    # A random name: the address tells nothing and cannot be guessed from another photo's.
    return f"activities/photos/{uuid.uuid4().hex}.jpg"


class ActivityPhoto(models.Model):
    """A photo of the held activity (活动照片), re-encoded on upload; shown to staff only, since
    it may show citizens who did not agree to be published."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return f"{self.activity} photo {self.pk}"


class ActivityOpinion(models.Model):
    """An opinion raised at the activity, registered as a case (活动中收集的意见建议)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="opinions"
    )
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="activity_opinion",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opinion raised at an activity")
        verbose_name_plural = _("opinions raised at activities")
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return f"{self.activity} → {self.case_id}"


class ActivityGuest(Guest):
    """联合接待 at an activity: a department official, a police officer, a procurator, a lawyer,
    a residents' representative invited beside the deputies (and the departments above)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="guests"
    )

    class Meta:
        verbose_name = _("activity guest")
        verbose_name_plural = _("activity guests")
        ordering = ["activity", "kind", "id"]


class PlannedActivity(models.Model):
    """年度活动计划 — one activity a station plans for a month of the year, to compare with the
    activities it holds (activities/plans.py)."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="planned"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["station", "year", "month", "id"]
        indexes = [models.Index(fields=["station", "year", "month"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="planned_month_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.title}"
