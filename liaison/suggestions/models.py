"""代表建议 — formal suggestions of deputies, their handling by units, and the three lists
(建议清单、交办清单、效果清单).

Every change of state goes through `services.py`, which appends a `SuggestionEvent` (append-only:
the audit trail and the timeline).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.activities.models import Activity
from liaison.cases.models import Case, Rating
from liaison.core.models import TimelineEvent
from liaison.directory.models import Category, Department, Deputy, Station

from .workflow import FINAL, Status


class SessionKind(models.TextChoices):
    DURING = "session", _("During the congress session")  # 大会期间
    BETWEEN = "interim", _("Between sessions")  # 闭会期间


class Grade(models.TextChoices):
    """The lead unit's answer grade (答复类别)."""

    A = "A", _("A — solved or adopted")  # 已解决或采纳
    B = "B", _("B — being solved")  # 正在解决
    C = "C", _("C — planned for a later solution")  # 列入计划逐步解决
    D = "D", _("D — cannot be solved for now")  # 因条件限制暂时无法解决


class Suggestion(models.Model):
    """One suggestion, from draft to closed."""

    number = models.CharField(_("number"), max_length=16, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    year = models.PositiveSmallIntegerField(_("year"))
    congress = models.CharField(
        _("congress session"), max_length=100, blank=True, help_text=_("e.g. 第十七届二次会议")
    )
    session_kind = models.CharField(_("submitted"), max_length=8, choices=SessionKind.choices)
    lead_deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("lead deputy"),
        on_delete=models.PROTECT,
        related_name="suggestions_led",
    )
    # The lead deputy's region, copied so that scoping by region is one prefix match.
    region_path = models.CharField(_("region path"), max_length=255, db_index=True)
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
        help_text=_("The station whose work it came from or whose staff drafted it."),
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    reasons = models.TextField(_("reasons"))  # 案由 / 理由
    proposals = models.TextField(_("proposals"))  # 建议
    cases = models.ManyToManyField(
        Case, verbose_name=_("from cases"), blank=True, related_name="suggestions"
    )
    activities = models.ManyToManyField(
        Activity, verbose_name=_("from activities"), blank=True, related_name="suggestions"
    )
    from_station_work = models.BooleanField(_("from station work"), default=False)

    return_reason = models.TextField(_("reason for returning"), blank=True)
    is_complex = models.BooleanField(_("complex (6 months)"), default=False)
    is_key = models.BooleanField(_("key suggestion"), default=False)  # 重点督办
    key_note = models.CharField(_("supervising leader"), max_length=200, blank=True)

    # The lead unit's answer, copied from its assignment for the lists and the public page.
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    grade_reasons = models.TextField(_("reasons it cannot be solved now"), blank=True)
    achieved = models.TextField(_("what was achieved"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("answer round"), default=1)
    evaluation = models.CharField(
        _("deputy's evaluation"), max_length=16, choices=Rating.choices, blank=True
    )
    evaluation_note = models.TextField(_("evaluation comment"), blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "year"]),
            models.Index(fields=["lead_deputy", "status"]),
            # 相似建议: the most recent submitted ones in scope (similar.py).
            models.Index(fields=["submitted_at"], name="suggestion_submitted_at"),
        ]
        constraints = [
            models.CheckConstraint(
                name="suggestion_accepted_has_number",
                condition=Q(status__in=["draft", "submitted", "returned", "withdrawn"])
                | Q(number__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '—'} {self.title}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    @property
    def is_public(self) -> bool:
        return self.answered_at is not None


class CoSigner(models.Model):
    """附议 — a deputy who joins the lead deputy; counts once they confirm from their account."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="cosigners"
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="cosignatures"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        ordering = ["suggestion", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosigner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.deputy}"


class SuggestionAssignment(models.Model):
    """交办 — one handling unit's part: lead (主办, exactly one active), joint (会办), co (协办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")  # 主办
        JOINT = "joint", _("Joint unit")  # 会办
        CO = "co", _("Co-handling unit")  # 协办

    class State(models.TextChoices):
        HANDLING = "handling", _("Handling")  # 办理中
        CHANGE_REQUESTED = "change_requested", _("Change requested")  # 申请调整
        OPINION_SENT = "opinion_sent", _("Opinion sent to the lead unit")
        ANSWERED = "answered", _("Answered")
        # A joint or co-handling unit that sent no opinion before the lead unit answered.
        NO_OPINION = "no_opinion", _("Closed without an opinion (answered by the lead unit)")
        WITHDRAWN = "withdrawn", _("Reassigned")

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="suggestion_assignments",
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.HANDLING
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    due_at = models.DateTimeField(_("due"))
    change_until = models.DateTimeField(_("change may be asked until"))
    change_reason = models.TextField(_("reason for the change"), blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    opinion_at = models.DateTimeField(_("opinion sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("suggestion assignment")
        verbose_name_plural = _("suggestion assignments")
        ordering = ["suggestion", "role", "id"]
        indexes = [models.Index(fields=["department", "state", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(role="lead", state__in=["handling", "change_requested"]),
                name="suggestion_one_active_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion} → {self.department}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


ACTIVE_STATES = {SuggestionAssignment.State.HANDLING, SuggestionAssignment.State.CHANGE_REQUESTED}


class SuggestionEvent(TimelineEvent):
    """One entry of the suggestion's timeline and audit trail. Append-only."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="events"
    )
    is_public = models.BooleanField(_("public"), default=False)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")
        indexes = [models.Index(fields=["suggestion", "created_at"])]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.verb}"


class SuggestionLink(models.Model):
    """关联建议 — two suggestions on related matters (two deputies raising the same street), linked
    by the committee that registers them; each keeps its own handling. One row per pair, the lower
    id first; linking and unlinking are events on both timelines (services/related.py)."""

    first = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        Suggestion, verbose_name=_("related suggestion"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("related suggestions")
        verbose_name_plural = _("related suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"], name="one_suggestion_link_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="suggestion_link_first_is_lower"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ↔ {self.second_id}"


class PublicRating(models.Model):
    """办理结果网上评 — one anonymous visitor's rating. `voter` is a hash of a random browser
    cookie, never an address or a name."""

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="public_ratings",
    )
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)
    voter = models.CharField(_("voter"), max_length=64)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public rating")
        verbose_name_plural = _("public ratings")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "voter"], name="public_rating_once"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.rating}"
