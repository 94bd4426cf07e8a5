"""RevocationFeed with a fake log (our own port): loading before serving, coalesced catch-ups, publishing once."""

from __future__ import annotations

import asyncio
import time

from qhitz_shared.revocation.events import RevocationEvent, RevocationPage
from qhitz_shared.revocation.feed import PollingStream, RevocationFeed
from qhitz_shared.revocation.state import DenyState


class FakeLog:
    def __init__(self) -> None:
        self.events: list[RevocationEvent] = []
        self.reads = 0

    def add(self, user_id: str, version: int) -> None:
        seq = len(self.events) + 1
        self.events.append(RevocationEvent(seq=seq, user_id=user_id, at=time.time(), token_version=version))

    async def since(self, cursor: int, limit: int) -> RevocationPage:
        self.reads += 1
        await asyncio.sleep(0)  # a real read yields to the loop
        found = [event for event in self.events if event.seq > cursor][:limit]
        head = self.events[-1].seq if self.events else 0
        return RevocationPage(found, found[-1].seq if found else cursor, len(found) == limit, head)


async def test_start_loads_the_state_and_listeners_see_each_event_once() -> None:
    log = FakeLog()
    log.add("a", 2)
    published: list[int] = []

    async def publish(events) -> None:
        published.extend(event.seq for event in events)

    state = DenyState(960)
    feed = RevocationFeed(state, log, PollingStream(log, state, 3600), listeners=[publish], batch=1)
    await feed.start(load_timeout=5)
    try:
        assert state.cursor == 1 and not state.catching_up
        log.add("b", 1)
        log.add("c", 1)
        await asyncio.gather(feed.catch_up(), feed.catch_up())
        assert state.cursor == 3
        assert published == [2, 3]  # the first load is history, not news
    finally:
        await feed.stop()


async def test_commits_in_a_burst_share_reads() -> None:
    log = FakeLog()
    state = DenyState(960)
    feed = RevocationFeed(state, log, PollingStream(log, state, 3600))
    await feed.start(load_timeout=5)
    try:
        reads = log.reads
        committed = time.monotonic()
        await asyncio.gather(*(feed.catch_up(after=committed) for _ in range(20)))
        assert log.reads - reads == 1  # the first read started after every one of these commits
    finally:
        await feed.stop()


async def test_a_reset_log_is_reloaded_from_the_start() -> None:
    log = FakeLog()
    state = DenyState(960)
    state.cursor = 50  # what this process saw before main's log was recreated
    feed = RevocationFeed(state, log, PollingStream(log, state, 3600))
    log.add("a", 3)
    await feed.catch_up()
    assert state.cursor == 1
