"""Service tokens by the OAuth2 client-credentials grant, fetched from auth_service and cached until near expiry.

Contract (implemented by auth_service): ``POST {AUTH_URL}/api/v1/auth/service-token`` with a form body
``grant_type=client_credentials&client_id=...&client_secret=...`` (or HTTP Basic credentials) answers
``{"access_token": "...", "token_type": "Bearer", "expires_in": <seconds>}``. The token has aud main-internal
and a ``svc`` claim naming the client.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Mapping
from typing import Any, ClassVar, Protocol

import httpx
import msgspec

from qhitz_shared.errors import DependencyUnavailableError


class ServiceClientSettings(msgspec.Struct, frozen=True):
    """SERVICE_*: this service's client credentials at auth_service."""

    env_prefix: ClassVar[str] = "SERVICE_"

    auth_url: str = "http://127.0.0.1:3002"
    client_id: str = ""
    client_secret: str = ""


class ServiceTokenResponse(msgspec.Struct):
    access_token: str
    expires_in: int
    token_type: str = "Bearer"


class ServiceTokenClient:
    """Returns a valid service token, refreshing it ``margin_seconds`` before it expires; one fetch at a time."""

    def __init__(self, settings: ServiceClientSettings, http: httpx.AsyncClient, *, margin_seconds: int = 30) -> None:
        self._settings = settings
        self._http = http
        self._margin = margin_seconds
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        if self._token and time.monotonic() < self._expires_at - self._margin:
            return self._token
        async with self._lock:
            if self._token and time.monotonic() < self._expires_at - self._margin:
                return self._token
            try:
                response = await self._http.post(
                    f"{self._settings.auth_url.rstrip('/')}/api/v1/auth/service-token",
                    data={
                        "grant_type": "client_credentials",
                        "client_id": self._settings.client_id,
                        "client_secret": self._settings.client_secret,
                    },
                    timeout=5,
                )
                response.raise_for_status()
                body = msgspec.json.decode(response.content, type=ServiceTokenResponse)
            except (httpx.HTTPError, msgspec.DecodeError) as exc:
                raise DependencyUnavailableError("Could not obtain a service token from auth_service") from exc
            self._token = body.access_token
            self._expires_at = time.monotonic() + body.expires_in
            return self._token

    def forget(self) -> None:
        """Drop the cached token (after a 401 from the callee, e.g. when keys rotated)."""
        self._token = None


class ServiceTokens(Protocol):
    """This service's token for main's internal API (auth_service mints its own: a plain str; others fetch)."""

    def token(self) -> str | Awaitable[str]: ...

    def forget(self) -> None: ...


async def get_with_service_token(
    http: httpx.AsyncClient,
    url: str,
    tokens: ServiceTokens,
    *,
    what: str,
    params: Mapping[str, Any] | None = None,
    timeout: float = 5,
) -> httpx.Response:
    """GET another service's internal route with this service's token. A 401 (the token was refused, e.g. after a
    key rotation) drops the token and asks once more with a fresh one; the second answer is returned whatever it
    is. An unreachable service raises DependencyUnavailableError ("``what`` is unreachable")."""
    for attempt in (1, 2):
        token = tokens.token()
        if inspect.isawaitable(token):
            token = await token
        try:
            response = await http.get(url, params=params, headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
        except httpx.HTTPError as exc:
            raise DependencyUnavailableError(f"{what} is unreachable") from exc
        if response.status_code != 401 or attempt == 2:
            return response
        tokens.forget()
    raise AssertionError("unreachable")
