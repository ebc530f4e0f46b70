"""What every suggestion service shares: who may act, the guard, the event, the notices."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role, User
from liaison.core import audit
from liaison.core.errors import NotAllowed
from liaison.core.events import actor_label, record_event
from liaison.core.permissions import restrict
from liaison.directory.models import Department
from liaison.notifications.services import enqueue

from ..models import (
    Suggestion,
    SuggestionEvent,
)
from ..workflow import MACHINE, Action, Status

# --- who may act -------------------------------------------------------------------------------


def assignable_units(user):
    """The units `user` may assign a suggestion to: active departments whose region lies in the
    committee's own region (its subtree by Region.path); administrators any active one."""
    return restrict(Department.objects.filter(is_active=True), user, "change").order_by("name")


def check_units(actor, fields: dict[str, list[Department]]) -> None:
    """Refuse units outside the actor's area, by form field, with the units named."""
    wanted = {d.pk for units in fields.values() for d in units}
    allowed = set(assignable_units(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    errors = {
        field: [
            _("%(unit)s is outside your committee's area.") % {"unit": d.name}
            for d in units
            if d.pk not in allowed
        ]
        for field, units in fields.items()
    }
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)


def require_allowed(allowed: bool, message=None) -> None:
    if not allowed:
        raise NotAllowed(message or _("Your account may not take this action on this suggestion."))


# --- the mechanics every service shares --------------------------------------------------------


def lock_suggestion(suggestion: Suggestion) -> Suggestion:
    return MACHINE.lock(suggestion, "lead_deputy")


def check_transition(locked: Suggestion, action: Action, seen_status: str | None) -> Status:
    """The guard (docs/design.md, rule 2): ConcurrentChange when the status moved since the
    caller saw it, TransitionRefused when it never allowed the action."""
    return MACHINE.check(locked, action, seen_status)


def suggestion_event(
    suggestion: Suggestion,
    verb: str,
    *,
    actor,
    from_status: str,
    note: str = "",
    is_public: bool = False,
    **data,
) -> SuggestionEvent:
    """The timeline row (record_event), and the same verb in the audit log that the committee's
    audit views read across apps. A periodic job acts as "System", not as a citizen."""
    with translation.override(settings.LANGUAGE_CODE):
        label = actor_label(actor, anonymous=gettext("System"))
    event = record_event(
        suggestion,
        verb,
        actor=actor,
        from_state=from_status,
        note=note,
        public=is_public,
        data=data,
        label=label,
    )
    audit.record(verb, actor=actor, obj=suggestion, from_status=from_status, **data)
    return event


def tell(users, event: SuggestionEvent, subject: str, body: str) -> None:
    """In-app message to each account, once per event."""
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        enqueue(
            "in_app",
            str(user.pk),
            body,
            subject=subject,
            dedupe_key=f"suggestion-event:{event.pk}:{user.pk}",
        )


def deputy_accounts(suggestion: Suggestion, *, cosigners: bool = False) -> list[User]:
    ids = [suggestion.lead_deputy_id]
    if cosigners:
        ids += list(suggestion.cosigners.values_list("deputy_id", flat=True))
    return list(User.objects.filter(role=Role.DEPUTY, deputy_id__in=ids, is_active=True))


def handlers_of(department_ids) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.DEPARTMENT_HANDLER, department_id__in=list(department_ids), is_active=True
        )
    )


def committee_of(suggestion: Suggestion) -> list[User]:
    """Committee staff of every region above the suggestion (the list is short)."""
    parts = suggestion.region_path.strip("/").split("/")
    paths = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    return list(
        User.objects.filter(role=Role.COMMITTEE_STAFF, region__path__in=paths, is_active=True)
    )


def required_text(value: str, field: str, message, errors: dict) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(message)
    return value
