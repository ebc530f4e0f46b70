"""API keys: personal tokens (act as their user) and application keys (act as no one).

Only a SHA-256 of the key is stored. Keys are 40 random url-safe characters (240 bits), so a fast
hash is as good as a slow one here: nobody can guess their way through that space.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    SUBMIT = "cases:submit", _("File citizens' messages on behalf of an application")
    READ = "cases:read", _("Read cases")
    STAFF = "staff", _("Act as the token's user")


class ApiKey(models.Model):
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
        help_text=_("A personal token acts as this user; empty for an application key."),
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def is_application(self) -> bool:
        return self.user_id is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class IdempotencyRecord(models.Model):
    """What a submission with an `Idempotency-Key` header answered, kept 24 hours so that a
    client that retries after a timeout gets the same answer instead of a second case."""

    owner = models.CharField(_("owner"), max_length=80)  # "key-<pk>", "user-<pk>" or "ip-<hash>"
    key = models.CharField(_("idempotency key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    tracking_number = models.CharField(_("tracking number"), max_length=10)
    response = models.JSONField(_("response body"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="api_idempotency_owner_key")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key} → {self.tracking_number}"
