"""LimitsRateLimiter: moving-window limits per rule and key, stored in Redis (shared by every replica) or memory.

Shared by every service that limits attempts (auth_service's logins, medias_service's share-link passwords);
each service names its rules and reads their rates from its own settings."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import ClassVar

import msgspec
import redis.asyncio
import structlog
from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from qhitz_shared.errors import RateLimitedError

log = structlog.get_logger(__name__)


class RedisSettings(msgspec.Struct, frozen=True):
    """REDIS_URL: shared rate-limit state for every replica; without it each process counts on its own."""

    env_prefix: ClassVar[str] = "REDIS_"

    url: str | None = None


@asynccontextmanager
async def open_storage(redis_url: str | None) -> AsyncIterator[Storage]:
    if not redis_url:
        yield MemoryStorage()
        return
    pool = redis.asyncio.ConnectionPool.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
    try:
        yield RedisStorage(f"async+{redis_url}", implementation="redispy", wrap_exceptions=True, connection_pool=pool)
    finally:
        await pool.aclose()


class LimitsRateLimiter:
    """Keys are hashed, so no email or IP address is stored in Redis in clear. When the storage fails the request
    goes through (logged): an outage of Redis must not lock every user out. ``rules`` maps a rule's name (a str
    enum member) to its rate; a rule without one is not limited."""

    def __init__(self, storage: Storage, rules: Mapping[str, RateLimitItem], *, key_prefix: str) -> None:
        self._limiter = MovingWindowRateLimiter(storage)
        self._rules = dict(rules)
        self._prefix = key_prefix

    async def hit(self, rule: str, key: str) -> None:
        """Count one attempt; RateLimitedError (with retry_after seconds) when the limit is exceeded."""
        await self._apply(rule, key, count=True)

    async def check(self, rule: str, key: str) -> None:
        """RateLimitedError when the limit is already reached, without counting."""
        await self._apply(rule, key, count=False)

    async def _apply(self, rule: str, key: str, *, count: bool) -> None:
        item = self._rules.get(rule)
        if item is None:
            return
        identifiers = self._identifiers(rule, key)
        try:
            allowed = await (self._limiter.hit if count else self._limiter.test)(item, *identifiers)
            if allowed:
                return
            stats = await self._limiter.get_window_stats(item, *identifiers)
        except StorageError as exc:
            log.error("rate_limit_storage_failed", rule=str(rule), error=repr(exc.storage_error))
            return
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        raise RateLimitedError(f"Too many attempts; retry in {retry_after} s", retry_after=retry_after, rule=str(rule))

    def _identifiers(self, rule: str, key: str) -> tuple[str, str, str]:
        return self._prefix, str(rule), hashlib.sha256(key.encode()).hexdigest()[:32]
