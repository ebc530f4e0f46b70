from collections.abc import Sequence
from typing import Any

from django.db import models, transaction

from . import chain
from .models import AuditEvent


def build(verb: str, *, actor=None, obj: models.Model | None = None, **data: Any) -> AuditEvent:
    """An unsaved audit event, for writers that insert many at once (`record_many`)."""
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
    # A transaction of its own when the caller has none (an on_commit hook): the chain lock
    # lasts until it ends. Inside the caller's, no savepoint (no extra queries).
    with transaction.atomic(savepoint=False):
        chain.seal([event])
        event.save()
    return event


def record_many(events: Sequence[AuditEvent], *, batch_size: int | None = None) -> None:
    """Append built events at once, in this order (one INSERT per batch)."""
    with transaction.atomic(savepoint=False):
        chain.seal(events)
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)
