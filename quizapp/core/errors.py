"""Domain errors that views turn into flashes and the API into JSON errors."""

from __future__ import annotations


class DomainError(Exception):
    """A refused operation with a user-facing Chinese message.

    Attributes:
        code: stable machine-readable code (``attempt_open_elsewhere`` …).
        status: the HTTP status the API answers with (400/401/403/404/409/422/429).
        message: the message shown to the person.

    """

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


class NotFound(DomainError):
    """The item does not exist (404)."""

    status = 404
    code = "not_found"


class Unauthorized(DomainError):
    """The attempt token is missing or wrong (401)."""

    status = 401
    code = "unauthorized"


class Conflict(DomainError):
    """The operation conflicts with the current state (409)."""

    status = 409
    code = "conflict"


class ValidationFailed(DomainError):
    """The input is well-formed but not acceptable (422)."""

    status = 422
    code = "validation_failed"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str | None = None):
        super().__init__(message, code=code)
        self.fields = fields or {}
