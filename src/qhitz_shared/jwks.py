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

    Keys are cached for ``cache_seconds``. An unknown kid triggers one refetch, at most once per
    ``cooldown_seconds``, so a flood of tokens with made-up kids never turns into a flood of fetches.
    A failed fetch keeps the last good keys.
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
        self._lock = asyncio.Lock()
        self.fetch_count = 0

    async def get(self, kid: str) -> Ed25519PublicKey | None:
        now = time.monotonic()
        if now - self._fetched_at > self._cache_seconds or (
            kid not in self._keys and now - self._attempted_at > self._cooldown_seconds
        ):
            await self._refresh(kid)
        return self._keys.get(kid)

    async def _refresh(self, kid: str) -> None:
        async with self._lock:
            now = time.monotonic()
            fresh = now - self._fetched_at <= self._cache_seconds
            if fresh and (kid in self._keys or now - self._attempted_at <= self._cooldown_seconds):
                return  # another request refreshed while we waited
            self._attempted_at = now
            try:
                response = await self._client.get(self._url, timeout=5)
                response.raise_for_status()
                self._keys = public_keys_from_jwks(response.json())
                self._fetched_at = time.monotonic()
                self.fetch_count += 1
            except (httpx.HTTPError, ValueError) as exc:
                log.warning("jwks_fetch_failed", url=self._url, error=str(exc))
