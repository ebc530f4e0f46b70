"""分办建议的模型 — the trained text models, versioned in the database.

A row holds one trained model (joblib bytes), when and on how many assignments it was trained, and
its evaluation on a held-out split. The row in use is the newest with `in_use`; a new model takes
over only if it is no worse (services.train_model). The bytes hold hashed features, department
ids, category ids and region codes only: no token, no phone, no name (docs/triage.md).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TriageModel(models.Model):
    trained_at = models.DateTimeField(_("trained at"), auto_now_add=True)
    samples = models.PositiveIntegerField(_("assignments learned from"), default=0)
    evaluation = models.JSONField(_("evaluation"), default=dict, blank=True)
    blob = models.BinaryField(_("model"), editable=False)
    in_use = models.BooleanField(_("in use"), default=False, db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("triage model")
        verbose_name_plural = _("triage models")
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.trained_at:%Y-%m-%d %H:%M}"

    @property
    def top1(self):
        return (self.evaluation.get("overall") or {}).get("top1")

    @property
    def top3(self):
        return (self.evaluation.get("overall") or {}).get("top3")


class Hotspot(models.Model):
    """热点 — one cluster of messages about the same matter in a county or a city over the last
    30 days (clustering.py), as the last run found it. Every run replaces all rows. Holds case ids,
    counts and a label made of words that several messages share: no phone, no name, no text."""

    class Level(models.TextChoices):
        COUNTY = "county", _("County / district")
        CITY = "city", _("City")

    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    region_path = models.CharField(_("region path"), max_length=255)
    category_id = models.BigIntegerField(_("category"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    size = models.PositiveIntegerField(_("messages"), default=0)
    size_week_ago = models.PositiveIntegerField(_("messages a week ago"), default=0)
    growth = models.IntegerField(_("growth on last week"), default=0)
    station_count = models.PositiveIntegerField(_("stations"), default=0)
    supporters = models.PositiveIntegerField(_("supporters"), default=0)
    members = models.JSONField(_("case ids"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("hot topic")
        verbose_name_plural = _("hot topics")
        ordering = ["-growth", "-size", "id"]
        # The dashboard: a region's growing clusters of one level, by growth.
        indexes = [models.Index(fields=["level", "region_path", "-growth"], name="hotspot_growing")]

    def __str__(self) -> str:
        return f"{self.label or '—'} ({self.size})"
