"""履职档案 — entries a deputy or station staff add to a deputy's performance record.

Everything else in the record (duties, visits, cases, activities) is read from the apps that own
it (liaison/records/record.py). An entry counts only once station or committee staff confirmed
it (审核确认); every change goes through liaison/records/services.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Deputy


class EntryKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")  # 视察
    SURVEY = "survey", _("Survey or research")  # 调研
    MEETING = "meeting", _("Meeting")  # 会议
    TRAINING = "training", _("Training")  # 培训
    VOTER_CONTACT = "voter_contact", _("Contact with voters")  # 联系选民
    REPORT = "report", _("Report to voters")  # 向选民述职
    OTHER = "other", _("Other")


# Which confirmed entries count for which part of "三个一" (liaison/records/three.py).
CONTACT_KINDS = {EntryKind.VOTER_CONTACT}
ACTIVITY_KINDS = {EntryKind.INSPECTION, EntryKind.SURVEY, EntryKind.MEETING, EntryKind.TRAINING}
REPORT_KINDS = {EntryKind.REPORT}


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")  # 待审核
    CONFIRMED = "confirmed", _("Confirmed")  # 已确认
    REJECTED = "rejected", _("Rejected")  # 未通过


class RecordEntry(models.Model):
    """One thing a deputy did that no other part of Liaison records (视察、调研、会议、培训 …)."""

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="record_entries"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    # A day in Asia/Shanghai, as the deputy would write it in a diary.
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("record entry")
        verbose_name_plural = _("record entries")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["deputy", "status", "date"]),
            models.Index(fields=["date"]),  # the years that have entries (years.py)
        ]
        constraints = [
            models.CheckConstraint(
                name="record_entry_confirmed_has_time",
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
            ),
            models.CheckConstraint(
                name="record_entry_rejected_has_reason",
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


def _photo_path(instance, filename: str) -> str:
    # A random name outside /media/deputies/: served only by the scoped staff view.
    return f"records/photos/{uuid.uuid4().hex}.jpg"


class RecordPhoto(models.Model):
    """An evidence photo of an entry (佐证照片), re-encoded (EXIF and location stripped)."""

    entry = models.ForeignKey(
        RecordEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")
        ordering = ["entry", "id"]

    def __str__(self) -> str:
        return f"{self.entry} photo {self.pk}"
