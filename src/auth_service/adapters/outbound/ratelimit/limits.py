"""LimitsRateLimiter: moving-window limits per rule and key, stored in Redis (shared by every replica) or memory."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import msgspec
import redis.asyncio
import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from auth_service.domain.limits import RateRule
from qhitz_shared.errors import RateLimitedError

log = structlog.get_logger(__name__)


class RateLimitSettings(msgspec.Struct, frozen=True):
    """AUTH_RATE_*: limits in the `limits` notation ("10/minute", "5 per 2 seconds"); an empty value disables one.
    Logins: 5 a minute per account from one address, 50 a minute per account from everywhere (ten addresses'
    worth, so one guesser cannot lock the owner out), 30 a minute per address whatever the account. Email
    verification and password reset are limited per client address and per account (a reset request per typed
    address, whether or not an account has it)."""

    enabled: bool = True
    key_prefix: str = "qhitz-auth"
    login_ip: str = "30/minute"
    login_account_ip: str = "5/minute"
    login_account: str = "50/minute"
    register_ip: str = "10/hour"
    register_account: str = "3/hour"
    refresh_ip: str = "120/minute"
    refresh_account: str = "30/minute"
    password_ip: str = "10/minute"
    password_account: str = "5/minute"
    verify_ip: str = "30/minute"
    verify_resend_address: str = "5/hour"
    reset_ip: str = "20/hour"
    reset_address: str = "5/hour"
    reset_confirm_ip: str = "20/hour"
    reset_confirm_account: str = "10/hour"
    mfa_ip: str = "30/minute"
    mfa_account: str = "10/5 minutes"
    api_key_exchange_ip: str = "600/minute"

    def rules(self) -> dict[RateRule, RateLimitItem]:
        if not self.enabled:
            return {}
        rules: dict[RateRule, RateLimitItem] = {}
        for rule in RateRule:
            text = getattr(self, str(rule))
            if text:
                rules[rule] = parse(text)
        return rules


class RedisSettings(msgspec.Struct, frozen=True):
    """REDIS_URL: shared rate-limit state for every replica; without it each process counts on its own."""

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
    goes through (logged): an outage of Redis must not lock every user out."""

    def __init__(self, storage: Storage, rules: Mapping[RateRule, RateLimitItem], *, key_prefix: str) -> None:
        self._limiter = MovingWindowRateLimiter(storage)
        self._rules = dict(rules)
        self._prefix = key_prefix

    async def hit(self, rule: RateRule, key: str) -> None:
        await self._apply(rule, key, count=True)

    async def check(self, rule: RateRule, key: str) -> None:
        await self._apply(rule, key, count=False)

    async def _apply(self, rule: RateRule, key: str, *, count: bool) -> None:
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

    def _identifiers(self, rule: RateRule, key: str) -> tuple[str, str, str]:
        return self._prefix, str(rule), hashlib.sha256(key.encode()).hexdigest()[:32]
