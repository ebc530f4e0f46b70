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
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models

from .errors import ConcurrentChange, TransitionRefused


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

    def __post_init__(self):
        for (source, action), to in self.transitions.items():
            # A table that names an unknown status or action is a bug: refuse at import.
            self.status(source), self.action(action), self.status(to)

    def allows(self, status: str, action: str) -> bool:
        return (status, action) in self.transitions

    def target(self, status: str, action: str):
        """The status `action` leads to from `status`, or TransitionRefused."""
        try:
            return self.status(self.transitions[(status, action)])
        except KeyError:
            raise TransitionRefused(
                self.refused_message
                % {
                    "status": self._label(self.status, status),
                    "action": self._label(self.action, action),
                }
            ) from None

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
            message = self.changed_message or self.refused_message
            raise ConcurrentChange(message % {"status": self._label(self.status, current)})
        return self.target(current, action)

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
