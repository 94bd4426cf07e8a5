"""The in-process fan-out: delivery, a slow subscriber resyncing instead of growing, and the ping book."""

from __future__ import annotations

import asyncio
import uuid

from chat_service.adapters.inbound.ws.pings import PingBook
from chat_service.adapters.outbound.broadcast.memory import MemoryBroadcaster
from chat_service.ports.broadcast import RESYNC


async def test_subscribers_of_a_channel_get_what_is_published_on_it_only() -> None:
    broadcaster = MemoryBroadcaster()
    async with broadcaster.subscribe("a") as first, broadcaster.subscribe("b") as second:
        await broadcaster.publish("a", b"one")
        assert await asyncio.wait_for(anext(first), 1) == b"one"
        await broadcaster.publish("b", b"two")
        assert await asyncio.wait_for(anext(second), 1) == b"two"
    await broadcaster.publish("a", b"nobody")  # no subscriber left: dropped


async def test_a_subscriber_that_falls_behind_gets_resync_instead_of_a_growing_queue() -> None:
    broadcaster = MemoryBroadcaster(backlog=3)
    async with broadcaster.subscribe("a") as slow:
        for number in range(5):
            await broadcaster.publish("a", str(number).encode())
        received = [await asyncio.wait_for(anext(slow), 1)]
        while True:
            try:
                received.append(await asyncio.wait_for(anext(slow), 0.05))
            except TimeoutError:
                break
    assert RESYNC in received
    assert len(received) <= 3


def test_the_ping_book_keeps_the_highest_recent_round_trip_per_group() -> None:
    book = PingBook(window_seconds=60)
    group, other = uuid.uuid4(), uuid.uuid4()
    alice, bob = uuid.uuid4(), uuid.uuid4()
    assert book.highest(group) == 0
    book.record(group, alice, 120)
    book.record(group, bob, 340)
    book.record(other, alice, 900)
    assert book.highest(group) == 340
    book.forget(group, bob)
    assert book.highest(group) == 120
    stale = PingBook(window_seconds=0)
    stale.record(group, alice, 500)
    assert stale.highest(group) == 0
