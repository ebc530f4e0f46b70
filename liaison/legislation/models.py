"""基层立法联系点 — a draft regulation put to the public (法规草案征求意见稿), its chapters and
articles, and the comments on it: online from citizens (phone confirmed by SMS code), offline
from hearings and visits entered by station staff.

Every change goes through `services/`, which records an audit event (core.AuditEvent: a draft
and a comment have no public timeline of their own).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.core.models import TimeStampedModel
from liaison.directory.models import Region, Station
from liaison.notifications.models import OneTimeCode

from .workflow import CommentStatus, DraftStatus


class DraftKind(models.TextChoices):
    DRAFT = "draft", _("Draft regulation")  # 法规草案征求意见
    CALL = "call", _("Call for legislative proposals")  # 立法项目建议征集
    REPORT = "report", _("Work report for pre-review")  # 人代会工作报告网上预审


class ReportType(models.TextChoices):
    """Which work report a pre-review is about (工作报告)."""

    GOVERNMENT = "government", _("Government work report")  # 政府工作报告
    BUDGET = "budget", _("Budget report")  # 预算报告
    PLAN = "plan", _("Plan report")  # 计划报告
    OTHER = "other", _("Other work report")  # 其他工作报告


class Audience(models.TextChoices):
    """Who may read and comment on a consultation: a draft or a call is always public; the
    committee opens a work report to the region's deputies only, or to the public too."""

    PUBLIC = "public", _("Deputies and the public")
    DEPUTIES = "deputies", _("Deputies of the region only")


class Draft(TimeStampedModel):
    """法规草案 — a draft regulation of a region's standing committee, open for comment; or a call
    for proposals of topics for future regulations (立法项目建议征集: no text, the comments on the
    whole "draft" are the proposals); or a work report put to pre-review before a session of the
    congress (工作报告网上预审: its text is paragraphs, not articles — `Article` rows numbered as
    段 — and its audience may be the region's deputies only)."""

    kind = models.CharField(
        _("kind"), max_length=8, choices=DraftKind.choices, default=DraftKind.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    explanation = models.TextField(_("explanation (起草说明)"), blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="drafts"
    )
    # The region's path, copied so that scoping by region is one prefix match.
    region_path = models.CharField(_("region path"), max_length=255, db_index=True)
    issuing_body = models.CharField(
        _("issuing body"),
        max_length=100,
        help_text=_("The standing committee that asks for comments, e.g. 西湖区人大常委会."),
    )
    opens_on = models.DateField(_("comments open on"))
    closes_on = models.DateField(_("comments close on"))
    stations = models.ManyToManyField(
        Station,
        verbose_name=_("contact-point stations"),
        related_name="drafts",
        blank=True,
        help_text=_("The stations that collect opinions on this draft (立法联系点)."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reported_at = models.DateTimeField(_("report sent at"), null=True, blank=True)
    # Work reports only (kind "report").
    report_type = models.CharField(
        _("work report"), max_length=12, choices=ReportType.choices, blank=True
    )
    session = models.CharField(
        _("session (届次会议)"),
        max_length=100,
        blank=True,
        help_text=_("The congress session the report goes to, e.g. 江滨区第十八届人大第五次会议."),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )

    class Meta:
        verbose_name = _("draft regulation")
        verbose_name_plural = _("draft regulations")
        ordering = ["-opens_on", "-pk"]
        indexes = [models.Index(fields=["status", "closes_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="draft_period_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_report(self) -> bool:
        return self.kind == DraftKind.REPORT

    def unit_label(self, number: int) -> str:
        """第N条 for an article of a draft, 第N段 for a paragraph of a work report."""
        from .importing import numeral

        return f"第{numeral(number)}{'段' if self.is_report else '条'}"


class Chapter(models.Model):
    """章 — a chapter of the draft's text."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="chapter_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Article(models.Model):
    """条 — one article, the unit citizens comment on; in a work report one paragraph (段), its
    heading (一、… / （一）…) in `section`."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="articles")
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="articles", null=True, blank=True
    )
    number = models.PositiveSmallIntegerField(_("number"))
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    section = models.CharField(_("section"), max_length=200, blank=True)  # 第X节, as written
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["draft", "order"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="article_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}"


class Source(models.TextChoices):
    ONLINE = "online", _("Online")  # 网上
    OFFLINE = "offline", _("Offline")  # 线下


class OfflineKind(models.TextChoices):
    HEARING = "hearing", _("Hearing (座谈会)")
    VISIT = "visit", _("Visit (走访)")
    OTHER = "other", _("Other")


class Adoption(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")  # 采纳
    PARTLY = "partly", _("Partly adopted")  # 部分采纳
    NOT = "not", _("Not adopted")  # 未采纳


ADOPTED = (Adoption.ADOPTED, Adoption.PARTLY)


class Comment(models.Model):
    """一条意见 — on one article, or on the whole draft when `article` is empty."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="comments",
        null=True,
        blank=True,
    )
    text = models.TextField(_("opinion"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    # Offline: what was said at a hearing or a visit, entered by station staff.
    offline_kind = models.CharField(
        _("kind of meeting"), max_length=8, choices=OfflineKind.choices, blank=True
    )
    people = models.PositiveIntegerField(_("number of people"), default=1)
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="legislation_comments",
        null=True,
        blank=True,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # Online: the citizen. The phone is stored to confirm it and to tell the outcome; it is never
    # shown. The name shows only with consent.
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    phone_verified_at = models.DateTimeField(_("phone confirmed at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    consent = models.BooleanField(_("may be shown publicly"), default=False)

    status = models.CharField(
        _("status"), max_length=16, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        related_name="merged",
        null=True,
        blank=True,
    )
    # The people behind this comment: its own, plus those of the comments merged into it.
    supporters = models.PositiveIntegerField(_("supporters"), default=1)
    adoption = models.CharField(_("adoption"), max_length=8, choices=Adoption.choices, blank=True)
    adoption_reason = models.TextField(_("reason"), blank=True)
    told_at = models.DateTimeField(_("contributor told at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["draft", "status"]),
            models.Index(fields=["article", "status"]),
            # The statistics count the comments received in a period (stats/legislation.py).
            models.Index(fields=["created_at", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(people__gte=1), name="comment_people_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class CommentCode(OneTimeCode):
    """A one-time SMS code confirming the phone of an online comment. Only a hash is stored."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="phone_codes")

    class Meta:
        verbose_name = _("comment code")
        verbose_name_plural = _("comment codes")
        ordering = ["comment", "-created_at", "-id"]
