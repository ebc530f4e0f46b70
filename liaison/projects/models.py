"""民生实事项目 — livelihood projects (docs/projects.md): each year the government proposes them,
the deputies vote (票决), deputies claim the adopted ones and follow them, progress and the final
acceptance are published with photos, and citizens rate a finished project."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.cases.models import Case
from liaison.core.models import TimeStampedModel
from liaison.directory.models import Department, Deputy, Region
from liaison.notifications.models import OneTimeCode
from liaison.suggestions.models import Suggestion


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")  # 政府提出候选项目
    VOTING = "voting", _("Vote open")  # 代表票决
    ADOPTED = "adopted", _("Adopted, under way")  # 票决通过，实施中
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    COMPLETED = "completed", _("Completed and accepted")  # 完成验收


class Choice(models.TextChoices):
    FOR = "for", _("For")  # 赞成
    AGAINST = "against", _("Against")  # 反对
    ABSTAIN = "abstain", _("Abstain")  # 弃权


class Project(TimeStampedModel):
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="livelihood_projects",
    )
    budget = models.DecimalField(
        _("budget (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="projects"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    vote_closes_at = models.DateTimeField(_("vote closes at"), null=True, blank=True)
    # The published result, counted once when the vote closes.
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    deputies = models.ManyToManyField(
        Deputy, verbose_name=_("following deputies"), through="Claim", related_name="+"
    )

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects-public:detail", args=[self.pk])


class Vote(models.Model):
    """One deputy's vote on one project: cast once, never changed."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="votes")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="project_votes")
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["project", "deputy"], name="one_vote_per_deputy")
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.get_choice_display()}"


class Claim(models.Model):
    """认领 — a deputy follows an adopted project's progress."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="claims")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="project_claims")
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "deputy"], name="one_claim_per_deputy")
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.project}"


class Progress(models.Model):
    """A quarterly progress report (进度) or the final acceptance (验收), published."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress")
    period = models.CharField(_("period"), max_length=20, help_text=_("e.g. 2026 Q2"))
    text = models.TextField(_("progress"))
    is_acceptance = models.BooleanField(_("final acceptance"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.period}"


def _photo_path(photo, filename: str) -> str:
    return f"projects/{uuid.uuid4().hex}.jpg"


class Photo(models.Model):
    """A photo of a progress report, re-encoded on upload (liaison/core/images.py)."""

    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=_photo_path)

    def __str__(self) -> str:
        return f"{self.progress} · {self.pk}"


class Rating(models.Model):
    """A citizen's rating of a completed project: one per phone, proved by an SMS code. Only a
    keyed hash of the phone is kept (it only has to recognise the second try)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ratings")
    phone_hash = models.CharField(max_length=64)
    score = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "phone_hash"], name="one_rating_per_phone")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.score}"


class Source(models.Model):
    """A case or a suggestion that fed the project (来源)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    suggestion = models.ForeignKey(
        Suggestion, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, suggestion__isnull=True)
                | models.Q(case__isnull=True, suggestion__isnull=False),
                name="project_source_is_one_thing",
            ),
            models.UniqueConstraint(fields=["project", "case"], name="project_case_once"),
            models.UniqueConstraint(
                fields=["project", "suggestion"], name="project_suggestion_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.case or self.suggestion)


class RatingCode(OneTimeCode):
    """The SMS code that proves the phone of a citizen who rates a project
    (notifications/phonecodes.py); the phone itself is kept only as its keyed hash."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    phone_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.project} · {self.created_at}"
