"""The outbox: every message to a person is a row here first, then the worker delivers it.

A notification is written in the same transaction as the change that causes it, so it exists if
and only if the change was committed (docs/design.md, rule 6).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.phones import mask_phone


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    IN_APP = "in_app", _("In the app")
    WECHAT = "wechat", _("WeChat")


class Status(models.TextChoices):
    PENDING = "pending", _("Queued")
    SENDING = "sending", _("Sending")  # claimed by a worker, see `claimed_at`
    SENT = "sent", _("Sent")  # the gateway accepted it (an inbox notice: it is in the inbox)
    DELIVERED = "delivered", _("Delivered")  # the gateway's receipt says the phone got it
    FAILED = "failed", _("Failed")  # gave up after the last attempt
    DEAD = "dead", _("Refused for good")  # the gateway refused this number or text: no retry


# What staff look at when something did not arrive.
UNDELIVERED = [Status.FAILED, Status.DEAD]


class Notification(models.Model):
    """通知 — one message to one recipient over one channel."""

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # A phone number, an e-mail address or an account id, depending on the channel.
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    available_at = models.DateTimeField(_("due at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.UUIDField(_("claim token"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The producer's name for "this message": a second enqueue with the same key is a no-op.
    dedupe_key = models.CharField(
        _("deduplication key"), max_length=200, null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # SMS gateways send only approved templates: the kind (liaison/notifications/sms.py) and its
    # named parameters travel to the gateway; `body` is the same template rendered, for people.
    template = models.CharField(_("template"), max_length=60, blank=True)
    params = models.JSONField(_("template parameters"), default=dict, blank=True)
    provider_message_id = models.CharField(_("gateway message ID"), max_length=100, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # The inbox (channel in_app): where the notice leads, and when its reader opened it.
    link = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "available_at"], name="notification_due"),
            models.Index(fields=["status", "sent_at"], name="notification_sent"),
            models.Index(fields=["recipient", "channel", "-created_at"], name="notification_inbox"),
            # The worker reads its batch back by claim token: without this, a scan per batch.
            models.Index(
                fields=["claim_token"],
                condition=Q(claim_token__isnull=False),
                name="notification_claimed",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(channel="in_app", read_at__isnull=True),
                name="notification_unread",
            ),
            # The 7-day delivery counts per channel and status (selectors.recent_counts), and the
            # list of undelivered messages newest first.
            models.Index(fields=["created_at", "channel", "status"], name="notification_recent"),
            models.Index(
                fields=["provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="notification_provider_id",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(dedupe_key=""), name="notification_dedupe_key_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.masked_recipient}"

    @property
    def masked_recipient(self) -> str:
        """For logs and screens (PIPL): 138****1234, z***@example.com."""
        if self.channel == Channel.SMS:
            return mask_phone(self.recipient)
        if self.channel == Channel.EMAIL and "@" in self.recipient:
            local, domain = self.recipient.rsplit("@", 1)
            return f"{local[:1]}***@{domain}"
        return self.recipient


class OneTimeCode(models.Model):
    """The columns of every one-time SMS code table (notifications/phonecodes.py). Only a hash of
    the code is stored."""

    code_hash = models.CharField(_("code (hashed)"), max_length=64)
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        abstract = True
