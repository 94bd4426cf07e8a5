"""HttpOwnerLimits: GET {main}/internal/v1/users/{id}/limits with a service token, cached briefly per owner."""

from __future__ import annotations

import time
import uuid

import httpx
import msgspec

from medias_service.domain.errors import OwnerUnknown
from medias_service.domain.library import Limits
from medias_service.ports.directory import ServiceTokenSource
from qhitz_shared.errors import DependencyUnavailableError


class LimitsDocument(msgspec.Struct):
    user_id: uuid.UUID
    max_upload_bytes: int
    storage_quota_bytes: int
    must_verify_email: bool = False


class HttpOwnerLimits:
    """A rejected service token (401, e.g. after a key rotation) is dropped and the call retried once; an
    unreachable main_service is a 503 for the upload, never a guess."""

    def __init__(
        self,
        base_url: str,
        http: httpx.AsyncClient,
        tokens: ServiceTokenSource,
        *,
        cache_seconds: float = 30,
        max_entries: int = 10_000,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._http = http
        self._tokens = tokens
        self._ttl = cache_seconds
        self._max_entries = max_entries
        self._cache: dict[uuid.UUID, tuple[float, Limits]] = {}
        self.fetch_count = 0

    async def of(self, owner_id: uuid.UUID) -> Limits:
        now = time.monotonic()
        cached = self._cache.get(owner_id)
        if cached and cached[0] > now:
            return cached[1]
        limits = await self._fetch(owner_id)
        self._cache.pop(owner_id, None)
        if len(self._cache) >= self._max_entries:
            self._cache.pop(next(iter(self._cache)))  # the oldest entry
        self._cache[owner_id] = (now + self._ttl, limits)
        return limits

    async def _fetch(self, owner_id: uuid.UUID) -> Limits:
        url = f"{self._base}/internal/v1/users/{owner_id}/limits"
        for attempt in (1, 2):
            token = await self._tokens.token()
            try:
                response = await self._http.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=5)
            except httpx.HTTPError as exc:
                raise DependencyUnavailableError("main_service did not answer for the owner's limits") from exc
            if response.status_code == 401 and attempt == 1:
                self._tokens.forget()
                continue
            if response.status_code == 404:
                raise OwnerUnknown("The user directory has no account for this token")
            if response.status_code != 200:
                raise DependencyUnavailableError(f"main_service answered {response.status_code} for the limits")
            try:
                document = msgspec.json.decode(response.content, type=LimitsDocument)
            except msgspec.DecodeError as exc:
                raise DependencyUnavailableError("main_service sent limits that cannot be read") from exc
            self.fetch_count += 1
            return Limits(document.max_upload_bytes, document.storage_quota_bytes, document.must_verify_email)
        raise DependencyUnavailableError("main_service refused our service token")
