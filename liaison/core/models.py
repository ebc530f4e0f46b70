from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TimelineEvent(models.Model):
    """One entry of an aggregate's timeline and audit trail (CaseEvent, SuggestionEvent): who, when,
    which verb, from which state to which. Append-only. A subclass adds the foreign key to its
    aggregate and `is_public` with its own meaning and default."""

    # Set when the event is sealed into its chain (core/chain.py), not at insert: the hash
    # covers it.
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What a public timeline shows instead of a staff member's name: a role or a department.
    actor_label = models.CharField(_("acting as"), max_length=100, blank=True)
    verb = models.CharField(_("action"), max_length=48)
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # The hash chain (core/chain.py): empty on the rows written before it existed.
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class AuditEvent(models.Model):
    """操作日志 — the append-only audit trail for everything that is not a case.

    Aggregates with a workflow (cases, suggestions) keep their own event tables; this one records
    changes to the directory, accounts, imports and access to personal information.
    """

    # Set when the event is sealed into its chain (core/chain.py), not at insert: the hash
    # covers it.
    created_at = models.DateTimeField(
        _("time"), default=timezone.now, editable=False, db_index=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # The hash covers the actor: deleting an account must not rewrite the trail it left.
        on_delete=models.PROTECT,
        related_name="+",
    )
    verb = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-created_at"]),
            # A chain's last row, and its rows in order (core/chain.py).
            models.Index(fields=["object_type", "object_id", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.object_repr}"


class PersonalDataAccess(AuditEvent):
    """The personal-data access log: the audit events of a look at a citizen's data in full
    (core/privacy.py `access_log()`), for administrators to read in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")


class JobRun(models.Model):
    """When a periodic job last started: the row that lets one worker, and only one, run it."""

    name = models.CharField(_("job"), max_length=100, unique=True)
    last_run_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_result = models.TextField(_("last result"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        # Created by the notifications app before the worker moved to core; the table stays.
        db_table = "notifications_jobrun"
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExportJob(models.Model):
    """A large export (core/exports.py) the worker writes to a file: who asked, for which list and
    filters, how far it got, and the file until it expires. Only its owner and administrators
    download it (the "exportjob.view" row)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("list"), max_length=32)
    format = models.CharField(_("format"), max_length=4)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices)
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # Moved forward while the worker writes: a job whose worker died is taken up again.
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "id"]),
            models.Index(fields=["owner", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.format} #{self.pk}"
