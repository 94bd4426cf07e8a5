"""Shared pieces of the database outage tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import httpx

# <SERVICE>_DB_* timeouts short enough that an outage answers well within the tests' 5 s.
DB_TIMEOUTS = {
    "DB_CONNECT_TIMEOUT_SECONDS": "1",
    "DB_STATEMENT_TIMEOUT_SECONDS": "1.5",
    "DB_POOL_TIMEOUT_SECONDS": "1",
}


def pg_target(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 5432


async def until_ok(
    request: Callable[[], Awaitable[httpx.Response]], *, timeout: float = 30, status: int = 200
) -> httpx.Response:
    """Repeat ``request`` until it answers ``status`` (the pool may first hand out a connection the outage broke)."""
    deadline = time.monotonic() + timeout
    while True:
        response = await request()
        if response.status_code == status:
            return response
        assert response.status_code == 503, response.text
        if time.monotonic() > deadline:
            raise AssertionError(f"still {response.status_code} after {timeout}s: {response.text}")
        await asyncio.sleep(0.1)
