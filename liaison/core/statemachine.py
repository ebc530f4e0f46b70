"""One state-machine engine for every aggregate with a workflow (docs/design.md, rule 2).

An app writes its statuses and actions as `TextChoices` and its allowed transitions as one table
`{(from status, action): to status}`, and declares a `StateMachine` over them. Services ask the
machine while holding the row lock:

    locked, to_status = CASE_MACHINE.guard(case, Action.ACCEPT, seen_status)

`guard` locks the row (`SELECT … FOR UPDATE`), so that of two people acting at once exactly one
wins; the other gets `ConcurrentChange` when the state moved under their feet, or
`TransitionRefused` when the state never allowed the action. Both carry a machine-readable code.
An entry whose target is its own source is an action that is only recorded (催办, 督办): it is in
the table so that one guard checks every action.

What a person reads when the state refuses is one mapping per aggregate (issue 16), `refusals`:
`{(action, status): sentence}` ("" for any status), a sentence a citizen or a worker understands
("You have already rated this reply. Thank you for your feedback."). Without one, the generic
`refused_message` names the current status in words, never an internal name. When the status
moved since the person saw it and no sentence is written for exactly that action and status,
`changed_by_message` says who changed it and when (the aggregate's timeline, or its audit
trail). Views and the API show `message` as it is.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats, timezone

from .errors import ConcurrentChange, TransitionRefused
from .events import last_change


@dataclass(frozen=True)
class StateMachine:
    status: type[models.TextChoices]
    action: type[models.TextChoices]
    transitions: Mapping[tuple[str, str], str]
    # Messages with %(status)s and %(action)s ("A case that is … cannot be given …").
    refused_message: str
    # Message with %(status)s ("Someone else changed this case in the meantime …"); by default
    # the refusal itself, for aggregates whose pages carry no status the reader saw.
    changed_message: str = ""
    status_field: str = "status"
    final: frozenset = field(default_factory=frozenset)
    # {(action, status or ""): sentence with an optional %(status)s}: what a refusal says.
    refusals: Mapping[tuple[str, str], str] = field(default_factory=dict)
    # With %(who)s, %(when)s and %(status)s: who changed the object meanwhile, and when.
    changed_by_message: str = ""

    def __post_init__(self):
        for (source, action), to in self.transitions.items():
            # A table that names an unknown status or action is a bug: refuse at import.
            self.status(source), self.action(action), self.status(to)
        for action, status in self.refusals:
            self.action(action), status and self.status(status)

    def refusal(self, status: str, action: str) -> str:
        """The sentence for `action` refused in `status` (the one mapping, issue 16)."""
        message = (
            self.refusals.get((action, status))
            or self.refusals.get((action, ""))
            or self.refused_message
        )
        return message % {
            "status": self._label(self.status, status),
            "action": self._label(self.action, action),
        }

    def allows(self, status: str, action: str) -> bool:
        return (status, action) in self.transitions

    def target(self, status: str, action: str):
        """The status `action` leads to from `status`, or TransitionRefused."""
        try:
            return self.status(self.transitions[(status, action)])
        except KeyError:
            raise TransitionRefused(self.refusal(status, action)) from None

    def allowed_actions(self, status: str) -> list:
        return [self.action(action) for (source, action) in self.transitions if source == status]

    def lock(self, obj: models.Model, *related: str) -> models.Model:
        """The row again, locked until the end of the transaction."""
        queryset = type(obj)._default_manager.select_for_update(of=("self",) if related else ())
        if related:
            queryset = queryset.select_related(*related)
        return queryset.get(pk=obj.pk)

    def check(self, locked: models.Model, action: str, seen_status: str | None = None):
        """The target of `action` on an already locked row. When the status moved under the
        caller's feet since they saw `seen_status`, say so rather than "not allowed"."""
        current = getattr(locked, self.status_field)
        if not self.allows(current, action) and seen_status and seen_status != current:
            raise ConcurrentChange(self.changed(locked, action))
        return self.target(current, action)

    def changed(self, obj: models.Model, action: str = "") -> str:
        """What ConcurrentChange says: the sentence written for exactly this action and status
        ("You have already rated this reply…"), else who changed `obj` and when, else a sentence
        for the action, else that someone changed it."""
        current = getattr(obj, self.status_field)
        status = self._label(self.status, current)
        if action and (action, current) in self.refusals:
            return self.refusal(current, action)
        known = self.changed_by_message and isinstance(obj, models.Model)
        change = last_change(obj) if known else None
        if change is not None:
            who, when = change
            when = formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")
            return self.changed_by_message % {"who": who, "when": when, "status": status}
        if action and (action, "") in self.refusals:
            return self.refusal(current, action)
        if self.changed_message or not action:
            return (self.changed_message or self.refused_message) % {"status": status, "action": ""}
        return self.refusal(current, action)

    def check_any(self, locked: models.Model, actions: Iterable[str], seen_status=None) -> None:
        """For an action that depends on who acts (lead or co-handler): refuse by status first,
        before asking who the actor is."""
        actions = list(actions)
        current = getattr(locked, self.status_field)
        if not any(self.allows(current, action) for action in actions):
            self.check(locked, actions[0], seen_status)

    def guard(self, obj: models.Model, action: str, seen_status: str | None = None, *related):
        """Lock the row and check the transition: (locked row, target status)."""
        locked = self.lock(obj, *related)
        return locked, self.check(locked, action, seen_status)

    @staticmethod
    def _label(choices: type[models.TextChoices], value: str) -> str:
        return choices(value).label if value in choices.values else value
