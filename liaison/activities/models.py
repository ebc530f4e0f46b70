"""Activities (活动) a station announces — 约您共学, 民情恳谈会, 向选民述职 … —
and citizens' sign-ups (报名)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.phones import mask_phone, validate_mobile
from liaison.directory.models import Department, Deputy, Station, new_public_code


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
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="activities"
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
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class SignUp(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="signups"
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, validators=[validate_mobile])
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "phone"], name="signup_once_per_phone")
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.masked_phone}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)
