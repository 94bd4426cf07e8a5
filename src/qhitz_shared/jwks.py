"""JWKS client: fetches the issuer's public keys over HTTP, caches them, refreshes on an unknown kid."""

from __future__ import annotations

import asyncio
import time

import httpx
import structlog
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from qhitz_shared.tokens import public_keys_from_jwks

log = structlog.get_logger(__name__)


class JwksKeySource:
    """A ``PublicKeySource`` backed by a JWKS URL.

    Keys are cached for ``cache_seconds``. A stale cache or an unknown kid triggers a fetch, but at most one
    fetch starts per ``cooldown_seconds`` whatever the outcome, and concurrent callers share it: a flood of tokens
    with made-up kids, or an issuer that is down or slow, never turns into a flood of fetches or a queue of
    waiting requests. A failed fetch keeps the last good keys, which go on verifying.
    """

    def __init__(
        self, url: str, client: httpx.AsyncClient, *, cache_seconds: float = 300, cooldown_seconds: float = 30
    ) -> None:
        self._url = url
        self._client = client
        self._cache_seconds = cache_seconds
        self._cooldown_seconds = cooldown_seconds
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._fetched_at = float("-inf")
        self._attempted_at = float("-inf")
        self._inflight: asyncio.Task[None] | None = None

    async def get(self, kid: str) -> Ed25519PublicKey | None:
        now = time.monotonic()
        stale = now - self._fetched_at > self._cache_seconds
        wanted = stale or kid not in self._keys
        if wanted and self._inflight is None and now - self._attempted_at > self._cooldown_seconds:
            self._attempted_at = now
            self._inflight = asyncio.create_task(self._fetch())
            self._inflight.add_done_callback(self._done)
        if self._inflight is not None and kid not in self._keys:
            # only callers that cannot verify without the fetch wait for it; they share the one fetch
            await asyncio.shield(self._inflight)
        return self._keys.get(kid)

    def _done(self, _task: asyncio.Task[None]) -> None:
        self._inflight = None

    async def _fetch(self) -> None:
        try:
            response = await self._client.get(self._url, timeout=5)
            response.raise_for_status()
            self._keys = public_keys_from_jwks(response.json())
            self._fetched_at = time.monotonic()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("jwks_fetch_failed", url=self._url, error=str(exc))
