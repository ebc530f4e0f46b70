from typing import Any

from django.db import models

from .models import AuditEvent


def build(verb: str, *, actor=None, obj: models.Model | None = None, **data: Any) -> AuditEvent:
    """An unsaved audit event, for writers that insert many at once (bulk_create)."""
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        data=data,
    )


def record(verb: str, *, actor=None, obj: models.Model | None = None, **data: Any) -> AuditEvent:
    """Append one audit event. Call it inside the service's transaction."""
    event = build(verb, actor=actor, obj=obj, **data)
    event.save()
    return event
