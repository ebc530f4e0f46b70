"""The domain's refusals, one set for every app. Views turn them into a message, the API into a
problem document with `code` (liaison/api/errors.py)."""


class DomainError(Exception):
    """A rule of the domain refused an action. `code` is machine-readable, `message` is for people
    (already translated, or lazily translatable)."""

    code = "domain_error"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code


class TransitionRefused(DomainError):
    """The object's state does not allow the action."""

    code = "transition_refused"


class ConcurrentChange(TransitionRefused):
    """The object changed between the moment the person saw it and the moment they acted."""

    code = "concurrent_change"


class NotAllowed(DomainError):
    """The account may not take this action on this object (role or scope)."""

    code = "not_allowed"
