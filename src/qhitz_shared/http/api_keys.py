"""API keys on every service: ``Authorization: Bearer qhz_…`` is exchanged once at auth_service for a short-lived
access token carrying the key's scopes, cached (by the key's SHA-256) until that token expires; the token is then
verified locally like any other. No call to auth_service per request: one per key per access-token lifetime.

Revocation: the token names the key as its session (``sid``), so revoking the key reaches every service through
the revocation feed like a logout, and the cached token is refused from that event on; once it expires, the next
exchange fails. A key whose owner loses a permission loses it at the next exchange (at most one token lifetime).

Rate limit: auth_service counts exchanges per client address. A service with a service token (``ServiceTokens``)
sends it along with the address its request came from (``client_ip``), so a client spraying unknown keys uses up
its own allowance, not that of every client of the service; without one, the service's own address is counted."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import ipaddress
import time
from collections import OrderedDict

import httpx
import msgspec
import structlog

from qhitz_shared.errors import DependencyUnavailableError, InvalidTokenError, RateLimitedError
from qhitz_shared.service_tokens import ServiceTokens

log = structlog.get_logger(__name__)

EARLY_SECONDS = 10  # a cached token is replaced this long before it expires, so none expires in flight


class InvalidApiKey(InvalidTokenError):
    code = "invalid_api_key"
    title = "The API key is unknown, revoked or expired"


class _Exchanged(msgspec.Struct):
    access_token: str
    expires_in: int


class _Problem(msgspec.Struct):
    code: str = "unknown"
    detail: str | None = None


class ApiKeyExchange:
    """Bounded (``max_entries``, least recently used out); concurrent requests with one key share one exchange.
    ``tokens``: this service's service token, sent with each exchange to have the client's address counted."""

    def __init__(
        self, client: httpx.AsyncClient, url: str, *, max_entries: int = 10_000, tokens: ServiceTokens | None = None
    ) -> None:
        self._client = client
        self._url = url
        self._tokens = tokens
        self._max = max(1, max_entries)
        self._cache: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._pending: dict[str, asyncio.Future[str]] = {}

    async def access_token(self, key: str, client_ip: str | None = None) -> str:
        """``client_ip``: the address the request carrying the key came from. Raises InvalidApiKey (401) for a
        key auth_service refuses, RateLimitedError (429), DependencyUnavailableError (503) when it cannot be
        asked."""
        digest = hashlib.sha256(key.encode()).hexdigest()
        cached = self._cache.get(digest)
        if cached is not None and time.time() < cached[1]:
            self._cache.move_to_end(digest)
            return cached[0]
        pending = self._pending.get(digest)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._pending[digest] = future
        try:
            token, expires_in = await self._exchange(key, client_ip)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody else waited
            raise
        finally:
            del self._pending[digest]
        self._cache[digest] = (token, time.time() + max(0, expires_in - EARLY_SECONDS))
        self._cache.move_to_end(digest)
        while len(self._cache) > self._max:
            self._cache.popitem(last=False)
        future.set_result(token)
        return token

    def forget(self, key: str) -> None:
        """Drop the key's cached token (it was refused): the next request exchanges the key again."""
        self._cache.pop(hashlib.sha256(key.encode()).hexdigest(), None)

    async def _exchange(self, key: str, client_ip: str | None) -> tuple[str, int]:
        body = {"api_key": key}
        headers = {}
        service_token = await self._service_token()
        if service_token is not None:
            headers["Authorization"] = f"Bearer {service_token}"
            if client_ip is not None and _is_ip(client_ip):
                body["client_ip"] = client_ip
        try:
            response = await self._client.post(self._url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            log.error("api_key_exchange_unreachable", error=repr(exc))
            raise DependencyUnavailableError("auth_service cannot exchange the API key now") from exc
        if response.status_code == 429:
            raise RateLimitedError(
                "Too many API key exchanges", retry_after=int(response.headers.get("retry-after", 1))
            )
        if response.status_code in (401, 403, 404, 422):
            problem = _decode(response.content, _Problem) or _Problem()
            raise InvalidApiKey(problem.detail or "The API key is unknown, revoked or expired")
        exchanged = _decode(response.content, _Exchanged) if response.is_success else None
        if exchanged is None:
            log.error("api_key_exchange_failed", status=response.status_code)
            raise DependencyUnavailableError("auth_service could not exchange the API key")
        return exchanged.access_token, exchanged.expires_in

    async def _service_token(self) -> str | None:
        """None without service tokens, or when none can be had now: the exchange then goes ahead unauthenticated
        (counted against this service's address) rather than failing the client's request."""
        if self._tokens is None:
            return None
        try:
            token = self._tokens.token()
            return await token if inspect.isawaitable(token) else token
        except DependencyUnavailableError as exc:
            log.warning("api_key_exchange_without_service_token", error=str(exc))
            return None


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _decode(content: bytes, into: type) -> object:
    try:
        return msgspec.json.decode(content, type=into)
    except msgspec.DecodeError:
        return None
