"""Cases: a citizen's message and everything that happens to it until it is closed.

Every change of state goes through `services/`, which appends a `CaseEvent`; the event table is
the audit trail, the public timeline and a statistics source, and is never updated or deleted.
"""

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.core.models import TimelineEvent
from liaison.core.phones import mask_phone, validate_landline, validate_mobile
from liaison.directory.models import Category, Department, Deputy, GridCell, Station
from liaison.notifications.models import OneTimeCode

from .workflow import FINAL, Status

TRACKING_DIGITS = 10  # 10¹⁰ numbers; the tracking page also asks for the phone's last 4 digits


def new_tracking_number() -> str:
    """Digits only: the easiest to read out on the phone and to type on a keypad."""
    return "".join(secrets.choice("0123456789") for _ in range(TRACKING_DIGITS))


class Channel(models.TextChoices):
    ONLINE = "online", _("Online message")  # 码上找代表 / website
    RECEPTION = "reception", _("Reception day visit")  # 接待日
    PHONE = "phone", _("Phone call")
    LETTER = "letter", _("Letter")
    API = "api", _("Other system (API)")
    # An opinion raised at an activity (活动现场), registered by staff like a reception visit.
    ACTIVITY = "activity", _("Activity")
    # 网格员: a grid worker files a matter a resident of their cell raised (docs/grid.md).
    GRID = "grid", _("Grid worker")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")  # 满意
    BASIC = "basic", _("Basically satisfied")  # 基本满意
    UNSATISFIED = "unsatisfied", _("Unsatisfied")  # 不满意


class Delivery(models.TextChoices):
    """How an answer reached a citizen without a mobile (recorded by `record_delivery`)."""

    POST = "post", _("Sent by post")  # 邮寄
    HANDED_OVER = "handed_over", _("Handed over in person")  # 当面送达
    PHONE = "phone", _("Read out on the phone")  # 电话告知


class RatedVia(models.TextChoices):
    """How staff heard the rating of a citizen who has no SMS link (`rate_case(actor=…)`)."""

    PHONE = "phone", _("By phone")
    RETURN_SLIP = "return_slip", _("Return slip of the reply letter")  # 回执
    IN_PERSON = "in_person", _("In person")


class RejectReason(models.TextChoices):
    ABUSIVE = "abusive", _("Abusive")
    SPAM = "spam", _("Spam or advertising")
    EMPTY = "empty", _("No content")
    OUT_OF_SCOPE = "out_of_scope", _("Not a matter for the liaison station")


class ReferralChannel(models.Model):
    """引导渠道 — where a matter the station does not handle belongs (涉法涉诉, 纪检监察, 信访, …),
    with the standard guidance the citizen receives."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    guidance = models.TextField(_("guidance for the citizen (Chinese)"))
    guidance_en = models.TextField(_("guidance for the citizen (English)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("referral channel")
        verbose_name_plural = _("referral channels")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=FINAL)

    def verified(self):
        """Leaves out online messages whose phone was never confirmed by the SMS code: they are
        drafts, invisible to staff and the citizen's tracking page, deleted after a day."""
        return self.exclude(channel=Channel.ONLINE, phone_verified_at__isnull=True)

    def publishable(self):
        """Cases a public document may name (by title, never by the citizen): the citizen
        agreed to publication and did not ask for confidentiality. Same rule as
        Case.is_publishable."""
        return self.filter(public_consent=True, confidential=False)


class Case(models.Model):
    """群众留言/诉求 — one matter raised by one citizen, by any channel."""

    tracking_number = models.CharField(
        _("tracking number"), max_length=16, unique=True, default=new_tracking_number
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="cases"
    )
    # The station's region, copied so that scoping by region is one indexed prefix match.
    region_path = models.CharField(_("region path"), max_length=255, db_index=True)
    deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # The grid cell a grid worker filed the case from (Channel.GRID); their scope.
    grid_cell = models.ForeignKey(
        GridCell,
        verbose_name=_("grid cell"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("what happened"))
    location_text = models.CharField(_("where"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    # Personal information (PIPL): only what the answer needs, masked unless a role needs it.
    citizen_name = models.CharField(_("name"), max_length=50, blank=True)
    # Empty for a citizen without a mobile (a letter, a visit, a landline): no SMS reaches them,
    # the answer goes by reply letter (reply_letter.py) or by phone.
    citizen_phone = models.CharField(
        _("mobile phone"), max_length=20, blank=True, validators=[validate_mobile]
    )
    citizen_landline = models.CharField(
        _("landline"), max_length=32, blank=True, validators=[validate_landline]
    )
    citizen_address = models.CharField(_("postal address"), max_length=200, blank=True)
    confidential = models.BooleanField(_("keep my identity confidential"), default=False)
    public_consent = models.BooleanField(_("may be shown publicly once anonymised"), default=False)
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted at"))
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    # The language the citizen wrote in: their text messages are sent in it.
    language = models.CharField(_("language"), max_length=10, blank=True)

    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    # How many citizens raised this matter: 1, plus those of every case merged into it (through
    # cases merged into those). Kept by services.merge_case, so that a main case's tracking page
    # does not count thousands of rows on every view (issue 17).
    raised_by = models.PositiveIntegerField(_("raised by"), default=1, editable=False)
    # 附议: how many citizens added their support on the public case page (support.py), kept by
    # services.support_case in the same transaction as the Support row.
    supporters = models.PositiveIntegerField(_("supporters"), default=0, editable=False)
    referral = models.ForeignKey(
        ReferralChannel,
        verbose_name=_("referred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    rehandled = models.BooleanField(_("re-handled once"), default=False)  # 重办 used
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    # The current step's deadline, computed once when the step starts (docs/design.md, rule 5).
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    due_provisional = models.BooleanField(_("deadline provisional"), default=False)
    # How `due_at` was counted: `due_days` working days after `due_from`. Kept so that loading a
    # year's holiday schedule can recompute the deadline (rule 5) and a pause can resume it.
    due_from = models.DateTimeField(_("deadline counted from"), null=True, blank=True)
    due_days = models.PositiveSmallIntegerField(
        _("deadline in working days"), null=True, blank=True
    )
    paused_at = models.DateTimeField(_("clock paused at"), null=True, blank=True)
    # Working days that were left when the clock was paused; they continue on resumption.
    paused_days_left = models.PositiveSmallIntegerField(
        _("working days left at the pause"), null=True, blank=True
    )

    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["station", "status", "-created_at"]),
            models.Index(fields=["deputy", "status", "-created_at"]),
            models.Index(fields=["citizen_phone", "-created_at"]),
            # The staff queues (liaison/cases/queues.py; issue 17): each scope's open cases by
            # status and in due-date order — a station's, a deputy's, and a county or city
            # committee's by region path prefix (pattern ops on PostgreSQL so that LIKE 'path%'
            # uses the index whatever the collation).
            models.Index(fields=["station", "status", "due_at"], name="case_station_status_due"),
            models.Index(fields=["deputy", "status", "due_at"], name="case_deputy_status_due"),
            models.Index(
                fields=["region_path", "status", "due_at"],
                name="case_region_status_due",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "timestamptz_ops"],
            ),
            # A committee's queue at 10 M cases (≈ 100,000 cases in a county, 30,000 open): its
            # tab counts and the sort of its page's ids (every order the queue offers) read the
            # open cases of the region from this index alone instead of their rows
            # (core/counting.CappedPaginator's ids_first; bench/README.md; docs/cases.md).
            models.Index(
                fields=["region_path"],
                name="case_region_open_sort",
                opclasses=["varchar_pattern_ops"],
                include=[
                    "due_at",
                    "created_at",
                    "id",
                    "supporters",
                    "status",
                    "channel",
                    "phone_verified_at",
                ],
                condition=~Q(status__in=sorted(FINAL)),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="case_merged_has_target",
                condition=~Q(status=Status.MERGED) | Q(merged_into__isnull=False),
            ),
            models.CheckConstraint(
                name="case_referred_has_channel",
                condition=~Q(status=Status.REFERRED) | Q(referral__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.title}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.citizen_phone)

    @property
    def masked_landline(self) -> str:
        return mask_phone(self.citizen_landline)

    @property
    def has_contact(self) -> bool:
        return bool(self.citizen_phone or self.citizen_landline or self.citizen_address)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    @property
    def is_publishable(self) -> bool:
        """See CaseQuerySet.publishable."""
        return self.public_consent and not self.confidential


class CaseEvent(TimelineEvent):
    """One entry of the case's timeline and audit trail. Append-only."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events"
    )
    is_public = models.BooleanField(_("shown to the citizen"), default=True)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [
            models.Index(fields=["case", "created_at"]),
            # The years that have a deputy's replies and answers (records/years.py).
            models.Index(fields=["verb", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.case.tracking_number} {self.verb}"

    @property
    def public_note(self) -> str:
        """The words the citizen's timeline and Open311 show for this event (docs/cases.md,
        "Internal notes and messages to the citizen"): the note itself where it is written for
        the citizen by design, otherwise only the message to the citizen staff wrote beside it.
        Events are never rewritten (rule 13), so older staff notes become internal here."""
        if not self.is_public:
            return ""
        if self.verb in CITIZEN_NOTE_VERBS:
            return self.note
        return str((self.data or {}).get("to_citizen") or "")


# Verbs whose `note` is meant for the citizen: the deputy's reply and answer, what is missing,
# the referral guidance, the generated "assigned to", and the citizen's own words. Every other
# verb's note is a staff note. A list of what is public, so a new verb's note stays internal.
CITIZEN_NOTE_VERBS = frozenset(
    {
        "case.info_requested",
        "case.supplemented",
        "case.referred",
        "case.replied",
        "case.assigned",
        "case.answered",
        "case.rated",
        "case.rehandle_requested",
        "case.withdrawn",
    }
)


class Assignment(models.Model):
    """交办 — a department's part in a case: the lead (主办) or a co-handler (协办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead department")  # 主办
        CO = "co", _("Co-handler")  # 协办

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting sign-off")
        SIGNED = "signed", _("Signed for")
        RETURNED = "returned", _("Returned")
        REPORTED = "reported", _("Result reported")
        WITHDRAWN = "withdrawn", _("Reassigned")
        # The committee stopped waiting for this co-handler (release_co_handlers).
        RELEASED = "released", _("Released by the committee")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="assignments"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    # What the citizen agreed to share with this department (assign_case's consent "what"):
    # their contact details (mobile, landline, address, photos), their name, or both.
    contact_shared = models.BooleanField(_("citizen's contact details shared"), default=False)
    name_shared = models.BooleanField(_("citizen's name shared"), default=False)
    sign_due_at = models.DateTimeField(_("sign-off due"), null=True, blank=True)
    report_due_at = models.DateTimeField(_("result due"), null=True, blank=True)
    # The handling time in working days after `created_at`, approved extensions included.
    report_days = models.PositiveSmallIntegerField(_("handling time (working days)"), default=15)
    extension_requested_days = models.PositiveSmallIntegerField(
        _("extension requested (working days)"), null=True, blank=True
    )
    result = models.TextField(_("result"), blank=True)
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["case", "round", "role", "id"]
        indexes = [
            models.Index(fields=["department", "state", "report_due_at"]),
            # The department queue's "cases this department was ever assigned" (index only).
            models.Index(fields=["department", "case"], name="assignment_department_case"),
        ]
        constraints = [
            # One active lead department per case.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(role="lead", state__in=["pending", "signed"]),
                name="assignment_one_active_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.tracking_number} → {self.department}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_ASSIGNMENT_STATES


ACTIVE_ASSIGNMENT_STATES = {Assignment.State.PENDING, Assignment.State.SIGNED}


def _photo_path(instance, filename: str) -> str:
    # A random name: the file's address tells nothing and cannot be guessed from another's.
    return f"cases/photos/{uuid.uuid4().hex}.jpg"


class CasePhoto(models.Model):
    """A photo the citizen sent with the message, re-encoded (EXIF and location stripped)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.case.tracking_number} photo {self.pk}"


class PhoneCode(OneTimeCode):
    """A one-time SMS code: confirms the phone of a new online message, or opens the tracking
    page instead of the phone's last 4 digits. Only a hash of the code is stored."""

    class Purpose(models.TextChoices):
        VERIFY = "verify", _("confirm the phone of a new message")
        TRACK = "track", _("open the tracking page")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="phone_codes"
    )
    purpose = models.CharField(_("purpose"), max_length=8, choices=Purpose.choices)

    class Meta:
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")
        ordering = ["case", "-created_at", "-id"]
        indexes = [models.Index(fields=["case", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.case.tracking_number} {self.purpose}"


class LookupCode(OneTimeCode):
    """A one-time SMS code opening "my messages and bookings" for a phone (mine.py). The phone is
    kept only as a keyed hash: the table says nothing about who asked."""

    phone_key = models.CharField(_("phone (hashed)"), max_length=64)

    class Meta:
        verbose_name = _("lookup code")
        verbose_name_plural = _("lookup codes")
        indexes = [models.Index(fields=["phone_key", "-created_at"])]

    def __str__(self) -> str:
        return f"lookup {self.created_at:%Y-%m-%d %H:%M}"


class RoutingRule(models.Model):
    """A routing rule (分办规则): for a category, in a region, which department usually handles
    the matter, as lead (主办) or co-handler (协办). It only suggests: committee staff decide the
    assignment (`selectors.suggested_departments`)."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_(
            "Applies to cases in this region and below it. Empty: everywhere; a rule for a "
            "smaller region wins over a rule for a larger one."
        ),
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        _("role"), max_length=8, choices=Assignment.Role.choices, default=Assignment.Role.LEAD
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("Lower numbers come first.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["category", "priority", "id"]
        indexes = [models.Index(fields=["category", "is_active"])]

    def __str__(self) -> str:
        return f"{self.category} → {self.department} ({self.get_role_display()})"


def _result_path(instance, filename: str) -> str:
    # A random name under cases/results/: /media/ serves deputies' photos only (liaison/urls.py),
    # so these files are reached through the staff view that checks the case's scope.
    extension = "pdf" if instance.content_type == "application/pdf" else "jpg"
    return f"cases/results/{uuid.uuid4().hex}.{extension}"


class ResultAttachment(models.Model):
    """A document or photo sent with a department's result (办理结果附件): a PDF as uploaded
    (checked by its signature) or an image re-encoded like the citizens' photos."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="result_attachments"
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=_result_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("result attachment")
        verbose_name_plural = _("result attachments")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return self.original_name


class Support(models.Model):
    """附议 — a citizen's "me too" on a public case, proved by an SMS code: one per phone per case
    (the keyed hash is unique with the case). The phone itself is kept only so that the answer
    reaches the supporter; retention empties it once the case is closed (cases/privacy.py)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="supports"
    )
    phone_hash = models.CharField(_("phone (hashed)"), max_length=64)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("supported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["case", "phone_hash"], name="one_support_per_phone")
        ]

    def __str__(self) -> str:
        return f"{self.case.tracking_number} support {self.pk}"


class SupportCode(OneTimeCode):
    """The SMS code that proves the phone of a supporter (notifications/phonecodes.py); the phone
    is kept here only as its keyed hash."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="support_codes"
    )
    phone_hash = models.CharField(_("phone (hashed)"), max_length=64)

    class Meta:
        verbose_name = _("support code")
        verbose_name_plural = _("support codes")
        indexes = [models.Index(fields=["case", "phone_hash", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.case.tracking_number} support code"


class CaseLink(models.Model):
    """关联 — two cases about related matters, linked by a reviewer (not a merge: each keeps its
    citizen and its own handling). One row per pair, the lower id first; linking and unlinking
    are events on both timelines (services/related.py), and unlinking deletes the row."""

    first = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="links_first"
    )
    second = models.ForeignKey(
        Case, verbose_name=_("related case"), on_delete=models.CASCADE, related_name="links_second"
    )
    # Who linked them is on the events (case.linked) of both cases.
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("related cases")
        verbose_name_plural = _("related cases")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_link_per_pair"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="link_first_is_lower"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ↔ {self.second_id}"
