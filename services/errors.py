"""DomainError and its kinds: what services raise, with a message a user can read."""


class DomainError(Exception):
    """A rule was broken; the message is meant for the user."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """Missing, or outside the actor's scope (the two must look the same)."""

    status = 404
    code = "not_found"


class OutOfScope(NotFound):
    """A record that exists but lies outside the actor's scope: answered exactly like
    NotFound, and recorded in the audit log as a permission denial."""

    def __init__(self, message: str = "", *, target: tuple[str, str] | None = None):
        super().__init__(message)
        self.target = target


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class ValidationFailed(DomainError):
    """A file or form with one or more problems; nothing was written."""

    status = 422
    code = "invalid"

    def __init__(self, problems: list[str], message: str = ""):
        super().__init__(message or "\n".join(problems))
        self.problems = problems
