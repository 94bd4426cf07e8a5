"""HttpOwnerLimits against the real main_service: limits, caching, unknown owners, a rejected token."""

from __future__ import annotations

import uuid

import httpx
import pytest

from medias_service.adapters.outbound.main_service.limits import HttpOwnerLimits
from medias_service.domain.errors import OwnerUnknown
from qhitz_shared.errors import DependencyUnavailableError
from tests.medias_service.conftest import TINY_QUOTA_BYTES, TINY_UPLOAD_BYTES
from tests.support.servers import free_port


class FirstTokenRejected:
    """Hands out a token main_service rejects, then (after forget) a good one."""

    def __init__(self, good) -> None:
        self._good = good
        self.forgotten = 0

    async def token(self) -> str:
        return "not-a-valid-token" if self.forgotten == 0 else await self._good.token()

    def forget(self) -> None:
        self.forgotten += 1


async def test_limits_come_from_main_service_and_are_cached(main_server, make_user, service_tokens):
    tiny, normal = await make_user(domain="tiny.test"), await make_user()
    async with httpx.AsyncClient() as http:
        limits = HttpOwnerLimits(main_server, http, service_tokens, cache_seconds=60)
        assert (await limits.of(tiny.id)).max_upload_bytes == TINY_UPLOAD_BYTES
        assert (await limits.of(tiny.id)).storage_quota_bytes == TINY_QUOTA_BYTES
        assert (await limits.of(normal.id)).max_upload_bytes == 100 * 1024 * 1024
        assert limits.fetch_count == 2
        expired = HttpOwnerLimits(main_server, http, service_tokens, cache_seconds=0)
        await expired.of(tiny.id)
        await expired.of(tiny.id)
        assert expired.fetch_count == 2


async def test_unknown_owner(main_server, service_tokens):
    async with httpx.AsyncClient() as http:
        with pytest.raises(OwnerUnknown):
            await HttpOwnerLimits(main_server, http, service_tokens).of(uuid.uuid4())


async def test_a_rejected_token_is_dropped_and_the_call_retried(main_server, make_user, service_tokens):
    user = await make_user()
    tokens = FirstTokenRejected(service_tokens)
    async with httpx.AsyncClient() as http:
        assert (await HttpOwnerLimits(main_server, http, tokens).of(user.id)).max_upload_bytes > 0
    assert tokens.forgotten == 1


async def test_main_service_unreachable(service_tokens):
    async with httpx.AsyncClient() as http:
        with pytest.raises(DependencyUnavailableError):
            await HttpOwnerLimits(f"http://127.0.0.1:{free_port()}", http, service_tokens).of(uuid.uuid4())
