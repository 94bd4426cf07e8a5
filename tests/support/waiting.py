"""Wait on a state, not for a time: poll until a predicate holds, failing after a deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]], until: Callable[[T], bool], *, timeout: float = 60, every: float = 0.1
) -> T:
    """Poll ``probe`` until its value satisfies ``until``; the last value is in the assertion message."""
    deadline = time.monotonic() + timeout
    value = await probe()
    while not until(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {timeout}s; last value: {value!r}")
        await asyncio.sleep(every)
        value = await probe()
    return value
