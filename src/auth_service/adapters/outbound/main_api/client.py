"""The HTTP client for main_service's /internal/v1: service token, problem codes mapped to our domain errors."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
import msgspec
import structlog

from auth_service.domain import errors
from auth_service.services.service_clients import OwnServiceToken
from qhitz_shared.errors import AppError, DependencyUnavailableError

log = structlog.get_logger(__name__)
T = TypeVar("T")

# main_service's problem codes that mean something to auth_service's callers; anything else is our problem (503).
ERRORS_BY_CODE: dict[str, type[AppError]] = {
    "email_taken": errors.EmailTaken,
    "username_taken": errors.UsernameTaken,
    "invalid_user_data": errors.InvalidUserData,
    "registration_disabled": errors.RegistrationDisabled,
    "user_not_found": errors.UserNotFound,
    "session_not_found": errors.SessionNotFound,
    "session_revoked": errors.SessionRevoked,
    "refresh_token_reused": errors.RefreshTokenReused,
    "account_inactive": errors.AccountInactive,
    "verification_token_invalid": errors.VerificationTokenInvalid,
    "reset_token_invalid": errors.ResetTokenInvalid,
    "mfa_state_conflict": errors.MfaStateConflict,
    "api_key_not_found": errors.ApiKeyNotFound,
    "too_many_api_keys": errors.TooManyApiKeys,
}


class Problem(msgspec.Struct):
    code: str = "unknown"
    detail: str | None = None


class MainApiClient:
    def __init__(self, http: httpx.AsyncClient, token: OwnServiceToken) -> None:
        self._http = http
        self._token = token

    async def call(self, method: str, path: str, into: type[T], *, json: Any = None, params: Any = None) -> T:
        response = await self._exchange(method, path, json=json, params=params, absent=None)
        assert response is not None
        return self._decode(response, into)

    async def send(self, method: str, path: str, *, json: Any = None) -> None:
        """A call whose answer has no body worth reading (204)."""
        await self._exchange(method, path, json=json, params=None, absent=None)

    async def find(
        self, method: str, path: str, into: type[T], *, absent: str, json: Any = None, params: Any = None
    ) -> T | None:
        """Like call(), but the problem code ``absent`` (e.g. user_not_found) answers None."""
        response = await self._exchange(method, path, json=json, params=params, absent=absent)
        return None if response is None else self._decode(response, into)

    async def _exchange(self, method: str, path: str, *, absent: str | None, **kwargs: Any) -> httpx.Response | None:
        response = await self._send(method, path, **kwargs)
        if response.status_code == 401 and self._problem(response).code in {"invalid_token", "not_authenticated"}:
            self._token.forget()  # e.g. main_service has not fetched a freshly rotated key yet: one retry
            response = await self._send(method, path, **kwargs)
        if response.is_success:
            return response
        problem = self._problem(response)
        if absent is not None and problem.code == absent:
            return None
        error = ERRORS_BY_CODE.get(problem.code)
        if error is not None:
            raise error(problem.detail)
        log.error("main_service_error", method=method, path=path, status=response.status_code, code=problem.code)
        raise DependencyUnavailableError("main_service could not serve the request")

    @staticmethod
    def _decode(response: httpx.Response, into: type[T]) -> T:
        try:
            return msgspec.json.decode(response.content, type=into)
        except msgspec.DecodeError as exc:
            raise DependencyUnavailableError("main_service answered something unexpected") from exc

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(
                method, path, headers={"Authorization": f"Bearer {self._token.token()}"}, **kwargs
            )
        except httpx.HTTPError as exc:
            log.error("main_service_unreachable", method=method, path=path, error=repr(exc))
            raise DependencyUnavailableError("main_service is unreachable") from exc

    @staticmethod
    def _problem(response: httpx.Response) -> Problem:
        try:
            return msgspec.json.decode(response.content, type=Problem)
        except msgspec.DecodeError:
            return Problem()
