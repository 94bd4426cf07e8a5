"""RFC 9457 problem+json for every failure: domain errors, framework errors and the unexpected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from qhitz_shared import errors
from qhitz_shared.db import database_unavailable
from qhitz_shared.text import NaiveDateTime

log = structlog.get_logger(__name__)

PROBLEM_JSON = "application/problem+json"

# One table: error category -> HTTP status. Services add rows for their own categories.
STATUS_BY_ERROR: dict[type[errors.AppError], int] = {
    errors.InvalidInputError: 422,
    errors.AuthenticationError: 401,
    errors.PermissionDeniedError: 403,
    errors.NotFoundError: 404,
    errors.ConflictError: 409,
    errors.PayloadTooLargeError: 413,
    errors.RateLimitedError: 429,
    errors.InsufficientStorageError: 507,
    errors.DependencyUnavailableError: 503,
}

# Unexpected exceptions that mean an infrastructure dependency is down or stuck: answered like
# DependencyUnavailableError (503), logged as one line without a traceback.
UNAVAILABLE_WHEN: tuple[Callable[[BaseException], bool], ...] = (database_unavailable,)

_CODE_BY_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}


_NAIVE_DATETIME = "Expected `datetime` with a timezone component"


def _naive_datetime_fields(extra: Any) -> list[str]:
    """The keys of msgspec's "no offset" errors, when those are the only errors (``AwareDateTime`` bodies)."""
    if not isinstance(extra, list) or not extra:
        return []
    if all(isinstance(item, dict) and item.get("message") == _NAIVE_DATETIME for item in extra):
        return [str(item.get("key") or "") for item in extra]
    return []


def status_for(exc: errors.AppError, table: dict[type[errors.AppError], int]) -> int:
    for klass in type(exc).__mro__:
        if klass in table:
            return table[klass]
    return 400


def problem(
    request: Request[Any, Any, Any], status: int, code: str, title: str, detail: str, **extra: Any
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": f"urn:qhitz:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
        **extra,
    }
    request_id = request.scope.get("state", {}).get("request_id")
    if request_id:
        body["request_id"] = request_id
    headers = {"Retry-After": str(extra["retry_after"])} if "retry_after" in extra else None
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def exception_handlers(
    extra_statuses: dict[type[errors.AppError], int] | None = None,
) -> dict[type[Exception] | int, Any]:
    table = {**STATUS_BY_ERROR, **(extra_statuses or {})}

    def on_app_error(request: Request[Any, Any, Any], exc: errors.AppError) -> Response[dict[str, Any]]:
        extra = dict(exc.extra)
        if isinstance(exc, errors.RateLimitedError):
            extra["retry_after"] = exc.retry_after
        return problem(request, status_for(exc, table), exc.code, exc.title, exc.detail, **extra)

    def on_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
        status = exc.status_code
        if isinstance(exc, ValidationException):
            naive = _naive_datetime_fields(exc.extra)
            if naive:  # the same answer as a naive date-time parameter (qhitz_shared.text.require_aware)
                detail = f"{naive[0]} needs an offset (Z or ±hh:mm), as in 2030-01-01T00:00:00Z"
                return problem(request, 422, NaiveDateTime.code, NaiveDateTime.title, detail, field=naive[0])
            return problem(
                request, 400, "validation_failed", "The request is not valid", str(exc.detail), errors=exc.extra or []
            )
        code = _CODE_BY_STATUS.get(status, "http_error")
        title = code.replace("_", " ").capitalize()
        response = problem(request, status, code, title, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
        if any(unavailable(exc) for unavailable in UNAVAILABLE_WHEN):
            log.warning("dependency_unavailable", path=request.url.path, method=request.method, error=repr(exc)[:500])
            unavailable = errors.DependencyUnavailableError("A dependency is unavailable or too slow; try again")
            return on_app_error(request, unavailable)
        log.exception("unhandled_error", path=request.url.path, method=request.method)
        return problem(
            request,
            HTTP_500_INTERNAL_SERVER_ERROR,
            "internal_error",
            "Internal server error",
            "Something went wrong on our side; the request id identifies it in our logs",
        )

    return {errors.AppError: on_app_error, HTTPException: on_http_exception, Exception: on_unexpected}
