"""A clue transfer (线索移送): a side record of a case or a suggestion, with its own audit chain;
the case's state machine is not touched (docs/clues.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.cases.models import Case
from liaison.directory.models import Station
from liaison.suggestions.models import Suggestion


class ConsentHow(models.TextChoices):
    IN_FORM = "form", _("Given by the citizen in the form")
    IN_PERSON = "in_person", _("Asked in person")
    PHONE = "phone", _("Asked by phone")
    WRITING = "writing", _("Signed in writing")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Awaiting the procuratorate's feedback")
    ACCEPTED = "accepted", _("Accepted as a case (立案)")
    DECLINED = "declined", _("Not taken up")


class ClueTransfer(models.Model):
    """线索移送 — one forwarding of a case or a suggestion to the procuratorate."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="clue_transfers",
        null=True,
        blank=True,
    )
    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        related_name="clue_transfers",
        null=True,
        blank=True,
    )
    # Copied from the case or suggestion, for the permission scopes.
    region_path = models.CharField(_("region path"), max_length=255, db_index=True)
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    organisation = models.CharField(
        _("receiving organisation"),
        max_length=100,
        help_text=_("e.g. 西湖区人民检察院第八检察部（公益诉讼）"),
    )
    summary = models.TextField(_("what is forwarded"))
    consent_how = models.CharField(_("how consent was given"), max_length=16, choices=ConsentHow)
    consent_at = models.DateTimeField(_("when consent was given"))
    consent_note = models.CharField(_("consent details"), max_length=200, blank=True)
    share_contact = models.BooleanField(
        _("the citizen agreed that their name and phone go with the clue"), default=False
    )
    publish = models.BooleanField(
        _("the citizen agreed that the tracking page names the procuratorate and its answer"),
        default=False,
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome, default=Outcome.PENDING
    )
    feedback = models.TextField(_("procuratorate's feedback"), blank=True)
    feedback_at = models.DateTimeField(_("feedback recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("forwarded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("forwarded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("clue transfer")
        verbose_name_plural = _("clue transfers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(case__isnull=False) & Q(suggestion__isnull=True))
                | (Q(case__isnull=True) & Q(suggestion__isnull=False)),
                name="cluetransfer_one_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_label} → {self.organisation}"

    @property
    def source(self):
        return self.case or self.suggestion

    @property
    def source_label(self) -> str:
        if self.case_id:
            return self.case.tracking_number
        return self.suggestion.number or f"#{self.suggestion_id}"
