"""LimitsRateLimiter on real Redis: shared counts, hashed keys, release after the window, fail-open on outage."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio

from auth_service.adapters.outbound.ratelimit.limits import LimitsRateLimiter, RateLimitSettings, open_storage
from auth_service.domain.limits import RateRule
from qhitz_shared.errors import RateLimitedError
from tests.support.platform import REDIS_URL


async def test_two_limiters_share_one_count_in_redis_and_release() -> None:
    prefix = f"qhitz-test-{uuid.uuid4().hex[:8]}"
    rules = RateLimitSettings(login_account="3 per 1 second").rules()
    async with open_storage(REDIS_URL) as first_storage, open_storage(REDIS_URL) as second_storage:
        replica_a = LimitsRateLimiter(first_storage, rules, key_prefix=prefix)
        replica_b = LimitsRateLimiter(second_storage, rules, key_prefix=prefix)
        await replica_a.hit(RateRule.LOGIN_ACCOUNT, "ada@example.com")
        await replica_b.hit(RateRule.LOGIN_ACCOUNT, "ada@example.com")
        await replica_a.hit(RateRule.LOGIN_ACCOUNT, "ada@example.com")
        with pytest.raises(RateLimitedError) as limited:
            await replica_b.check(RateRule.LOGIN_ACCOUNT, "ada@example.com")
        assert limited.value.retry_after == 1

        client = redis.asyncio.from_url(REDIS_URL)
        try:
            keys = [key.decode() async for key in client.scan_iter(match=f"*{prefix}*")]
        finally:
            await client.aclose()
        assert keys
        assert not any("ada" in key for key in keys)  # hashed: no email in Redis

        await asyncio.sleep(1.05)
        await replica_b.hit(RateRule.LOGIN_ACCOUNT, "ada@example.com")


async def test_a_redis_outage_lets_requests_through() -> None:
    rules = RateLimitSettings(login_ip="1 per 1 minute").rules()
    async with open_storage("redis://127.0.0.1:1/0") as storage:
        limiter = LimitsRateLimiter(storage, rules, key_prefix="down")
        for _ in range(3):
            await limiter.hit(RateRule.LOGIN_IP, "1.2.3.4")
