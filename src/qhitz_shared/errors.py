"""Error categories shared by every service's domain.

Plain Python: domain modules subclass these, each with a stable machine ``code``. The HTTP edge maps a category
to a status in one table (``qhitz_shared.http.problems``); services never know about HTTP.
"""

from __future__ import annotations

from typing import Any, ClassVar


class AppError(Exception):
    """Base of every expected failure. ``code`` is stable and machine-readable; ``detail`` is for people."""

    code: ClassVar[str] = "error"
    title: ClassVar[str] = "Request failed"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        self.detail = detail or self.title
        self.extra = extra
        super().__init__(self.detail)


class InvalidInputError(AppError):
    code = "invalid_input"
    title = "The request is not valid"


class AuthenticationError(AppError):
    code = "not_authenticated"
    title = "Authentication required"


class InvalidTokenError(AuthenticationError):
    code = "invalid_token"
    title = "The token is missing, invalid or expired"


class TokenRevokedError(InvalidTokenError):
    code = "token_revoked"
    title = "The token has been revoked"


class PermissionDeniedError(AppError):
    code = "permission_denied"
    title = "Insufficient permission"


class ApiKeyNotAllowed(PermissionDeniedError):
    code = "api_key_not_allowed"
    title = "This needs a login session's token, not an API key's"


class NotFoundError(AppError):
    code = "not_found"
    title = "Not found"


class ConflictError(AppError):
    code = "conflict"
    title = "Conflict with the current state"


class RateLimitedError(AppError):
    code = "rate_limited"
    title = "Too many requests"

    def __init__(self, detail: str | None = None, *, retry_after: int = 1, **extra: Any) -> None:
        self.retry_after = retry_after
        super().__init__(detail, **extra)


class PayloadTooLargeError(AppError):
    code = "payload_too_large"
    title = "The payload is too large"


class InsufficientStorageError(AppError):
    code = "insufficient_storage"
    title = "Not enough storage"


class DependencyUnavailableError(AppError):
    code = "dependency_unavailable"
    title = "A service this request needs is unavailable"
