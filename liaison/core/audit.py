from typing import Any

from django.db import models

from .models import AuditEvent


def record(verb: str, *, actor=None, obj: models.Model | None = None, **data: Any) -> AuditEvent:
    """Append one audit event. Call it inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        data=data,
    )
