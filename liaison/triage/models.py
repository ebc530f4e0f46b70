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
