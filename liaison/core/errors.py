class DomainError(Exception):
    """A rule of the domain refused an action. `code` is machine-readable, `message` is for people
    (already translated, or lazily translatable)."""

    code = "domain_error"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
