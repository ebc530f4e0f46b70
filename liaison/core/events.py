"""`record_event`: the one place a change of state is written down (docs/design.md, rules 3 and 12).

An aggregate with a timeline (a case, a suggestion: a related `events` manager whose model is a
`TimelineEvent`) gets a row there, which is its audit trail and its public timeline at once.
Everything else gets an `AuditEvent`. Call it inside the service's transaction, after the change.
"""

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext

from . import audit, chain, registry
from .models import AuditEvent, TimelineEvent


def signed_in(user) -> bool:
    """An active, logged-in account (services also get None or AnonymousUser as the actor)."""
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def actor_label(user, *, anonymous: str | None = None) -> str:
    """What a timeline shows for `user`: a role, a station, a department — never a staff
    member's name (`User.public_label`). Nobody signed in is the citizen, unless the caller
    names the anonymous actor otherwise (e.g. "System" for a periodic job)."""
    if not signed_in(user):
        return anonymous if anonymous is not None else gettext("Citizen")
    return user.public_label


def last_change(obj: models.Model):
    """Who last changed `obj` and when, as (label, time), from its timeline or its audit trail;
    None when nothing names them (an audit row without an account could be the citizen or a
    job: better say nothing than the wrong one)."""
    if _timeline_model(obj) is not None:
        event = obj.events.order_by("-created_at", "-id").first()
        return (event.actor_label, event.created_at) if event and event.actor_label else None
    event = (
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    if event is None or not signed_in(event.actor):
        return None
    return actor_label(event.actor), event.created_at


def _timeline_model(aggregate: models.Model):
    manager = getattr(aggregate, "events", None)
    model = getattr(manager, "model", None)
    return model if model is not None and issubclass(model, TimelineEvent) else None


def record_event(
    aggregate: models.Model,
    verb: str,
    *,
    actor,
    from_state: str = "",
    to_state: str | None = None,
    data: dict[str, Any] | None = None,
    public: bool | None = None,
    note: str = "",
    label: str | None = None,
):
    """Append one event for `aggregate`: `verb` is `noun.verb` ("case.accepted"), `to_state`
    defaults to the aggregate's status now, `public` to the event model's own default, `label` to
    `actor_label(actor)` in the site's language (the timeline is stored once, for everyone)."""
    data = data or {}
    if to_state is None:
        to_state = getattr(aggregate, "status", "")
    model = _timeline_model(aggregate)
    if model is None:
        if from_state or to_state:
            data = {"from_state": from_state, "to_state": to_state, **data}
        return _told(aggregate, audit.record(verb, actor=actor, obj=aggregate, **data))
    if label is None:
        with translation.override(settings.LANGUAGE_CODE):
            label = actor_label(actor)
    fields: dict[str, Any] = {
        "actor": actor if signed_in(actor) else None,
        "actor_label": label,
        "verb": verb,
        "from_status": from_state,
        "to_status": to_state,
        "note": note,
        "data": data,
    }
    if public is not None:
        fields["is_public"] = public
    event = model(**{aggregate.events.field.name: aggregate}, **fields)
    with transaction.atomic(savepoint=False):
        chain.seal([event])
        event.save(force_insert=True)
    return _told(aggregate, event)


def _told(aggregate, event):
    """Who must hear of the event is told in its transaction (registry.notices)."""
    for notify in registry.notices.functions():
        notify(aggregate, event)
    return event
