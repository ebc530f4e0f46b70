"""What every suggestion service shares: the event, the notices, who is told, the unit's own
assignment, and the few refusals worded for suggestions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role, User
from liaison.core import audit
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.events import actor_label, record_event
from liaison.core.permissions import may_at_all, restrict
from liaison.directory.models import Department, path_prefixes
from liaison.notifications.services import enqueue

from ..models import ACTIVE_STATES, Suggestion, SuggestionAssignment, SuggestionEvent

# What `require()` says when the permission table refuses a suggestion's action.
NOT_YOURS = _("Your account may not take this action on this suggestion.")


# --- the units a committee may assign ----------------------------------------------------------


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


def own_assignment(locked: Suggestion, actor, roles, states) -> SuggestionAssignment:
    """The acting unit's assignment in one of `roles` and `states`, locked
    ("suggestionassignment.handle": handlers of the assigned unit only). A unit whose part is in
    another state is told so (TransitionRefused); a unit without a part is refused (NotAllowed)."""
    if not may_at_all(actor, "suggestionassignment.handle"):
        raise NotAllowed(_("Only the assigned unit may take this action."))
    mine = restrict(locked.assignments.select_for_update(), actor, "suggestionassignment.handle")
    assignment = mine.filter(role__in=roles, state__in=states).order_by("-id").first()
    if assignment is None:
        current = mine.filter(state__in=ACTIVE_STATES).first()
        if current is not None:
            raise TransitionRefused(
                _("Your unit's assignment is “%(state)s” (%(role)s): this action is not possible.")
                % {"state": current.get_state_display(), "role": current.get_role_display()}
            )
        raise NotAllowed(_("Your unit has no open assignment for this suggestion."))
    return assignment


# --- the event and the notices -----------------------------------------------------------------


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
    paths = path_prefixes(suggestion.region_path)
    return list(
        User.objects.filter(role=Role.COMMITTEE_STAFF, region__path__in=paths, is_active=True)
    )


def required_text(value: str, field: str, message, errors: dict) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(message)
    return value
