"""The exceptions every Deltaplane call raises: one class per kind of failure.

Every non-2xx answer becomes exactly one of these, carrying the HTTP ``status``, the platform's
``error_code``, the ``request_id`` to quote in a support request and, on a version conflict, the
table's ``current_version``. No exception text ever contains the API key.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional


class DeltaplaneError(Exception):
    """Base class of every error the SDK raises.

    Attributes:
        status: The HTTP status (0 when no answer arrived).
        error_code: The platform's ``error_code`` (for example ``TABLE_NOT_FOUND``), if any.
        request_id: The ``X-Request-Id`` of the call, kept across its retries.
        problem: The whole problem+json body as a dict (empty when there was none).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        error_code: Optional[str] = None,
        request_id: Optional[str] = None,
        problem: Optional[Mapping[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.request_id = request_id
        self.problem: Mapping[str, Any] = dict(problem or {})

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} (request_id={self.request_id})" if self.request_id else text


class InvalidConfiguration(DeltaplaneError):
    """A missing or malformed setting, raised when a client is constructed."""


class InvalidRequest(DeltaplaneError):
    """The platform refused the request as malformed or invalid (400, 405, 406, 413, 415, 422)."""


class AuthError(DeltaplaneError):
    """The credential is missing, unknown, revoked or expired (401) or lacks the privilege the call needs
    (403); or, with status 0, the token provider gave no token and nothing was sent."""


class NotFound(DeltaplaneError):
    """The catalog, schema, table, job, run, mapping or object does not exist (404)."""


class Conflict(DeltaplaneError):
    """The request conflicts with the current state (409).

    Attributes:
        current_version: On a commit's ``VERSION_CONFLICT``, the table's version now; else None.
    """

    @property
    def current_version(self) -> Optional[int]:
        value = self.problem.get("current_version")
        return int(value) if value is not None else None


class RateLimited(DeltaplaneError):
    """Too many requests (429) even after the retries.

    Attributes:
        retry_after: Seconds the platform asked to wait (``Retry-After``), if it said.
    """

    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(DeltaplaneError):
    """The platform failed (5xx) and retrying did not help."""


class TransientNetworkError(DeltaplaneError):
    """No answer arrived (connection refused or reset, timeout) even after the retries."""


__all__ = [
    "AuthError",
    "Conflict",
    "DeltaplaneError",
    "InvalidConfiguration",
    "InvalidRequest",
    "NotFound",
    "RateLimited",
    "ServerError",
    "TransientNetworkError",
]
