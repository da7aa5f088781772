"""The service's one error hierarchy; the API maps it to problem+json, the CLI to one line.

The planning core keeps its own small hierarchy (it depends on nothing above
it); the service never hands it bad input: the tables only hold validated data.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConflictError",
    "ForbiddenError",
    "InspectionError",
    "InvalidInputError",
    "NotFoundError",
    "PreconditionFailedError",
    "PreconditionRequiredError",
    "TooLargeError",
    "TooManyRequestsError",
    "UnauthorizedError",
]


class InspectionError(Exception):
    """Base of every error the service reports to a client.

    Attributes:
        status: The HTTP status it maps to.
        code: A stable machine code.
        detail: What went wrong, in one sentence.
        field: Path of the offending field (``items[2].legal_basis``), when there is one.
    """

    status = 400
    code = "bad_request"

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(f"{field}: {detail}" if field else detail)
        self.detail = detail
        self.field = field

    def extensions(self) -> dict[str, Any]:
        """More members for the problem document (RFC 9457 extension members)."""
        return {}


class InvalidInputError(InspectionError):
    """The request is well formed but a value breaks a rule."""

    status = 422
    code = "invalid_input"


class UnauthorizedError(InspectionError):
    """No key, or a key that is unknown or revoked."""

    status = 401
    code = "unauthorized"


class ForbiddenError(InspectionError):
    """A valid key whose role may not do this."""

    status = 403
    code = "forbidden"


class NotFoundError(InspectionError):
    """An id that does not exist (or that the caller may not see)."""

    status = 404
    code = "not_found"


class ConflictError(InspectionError):
    """The change clashes with the state of the data (amending a published checklist, say)."""

    status = 409
    code = "conflict"


class PreconditionFailedError(InspectionError):
    """A stale write: the record changed since the client read it."""

    status = 412
    code = "precondition_failed"


class PreconditionRequiredError(InspectionError):
    """A change that must say which version it replaces (send `If-Match`)."""

    status = 428
    code = "precondition_required"


class TooLargeError(InspectionError):
    """A body or upload over the configured size."""

    status = 413
    code = "too_large"


class TooManyRequestsError(InspectionError):
    """A caller over a bound on what it may hold at once (open event streams, say)."""

    status = 429
    code = "too_many_requests"
