"""Wait on a state, not for a time: poll until a predicate holds, failing after a deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def wait_for(
    probe: Callable[[], Awaitable[T]], holds: Callable[[T], bool], *, timeout: float = 10.0, interval: float = 0.05
) -> T:
    """Returns the first probe result for which ``holds`` is true; AssertionError with the last one at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = await probe()
        if holds(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"still not there after {timeout}s: {result!r}")
        await asyncio.sleep(interval)
