"""Keeps a DenyState current: catch up from main's log, then follow the live stream; on loss, again."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol

import structlog

from qhitz_shared.background import BackgroundLoop
from qhitz_shared.revocation.events import RevocationEvent, RevocationPage
from qhitz_shared.revocation.state import DenyState

log = structlog.get_logger(__name__)


class RevocationSource(Protocol):
    """main_service's log: the events after ``since`` (a page of at most ``limit``)."""

    async def since(self, cursor: int, limit: int) -> RevocationPage: ...


class RevocationStream(Protocol):
    """A live stream of events. ``subscribe()`` returns once subscribed (so nothing published afterwards is
    missed) and yields an async iterator that ends, or raises, when the stream is lost."""

    def subscribe(self) -> AbstractAsyncContextManager[AsyncIterator[RevocationEvent]]: ...


class PollingStream:
    """No broker: ask the source every ``interval`` seconds (main_service reads its own log this way, and under
    make dev the other services ask main's internal route)."""

    def __init__(self, source: RevocationSource, state: DenyState, interval: float, batch: int = 500) -> None:
        self._source = source
        self._state = state
        self._interval = interval
        self._batch = batch

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[AsyncIterator[RevocationEvent]]:
        yield self._poll()

    async def _poll(self) -> AsyncIterator[RevocationEvent]:
        while True:
            await asyncio.sleep(self._interval)
            page = await self._source.since(self._state.cursor, self._batch)
            for event in page.events:
                yield event
            self._state.synced_at = time.monotonic()


Listener = Callable[[Sequence[RevocationEvent]], Awaitable[None]]


class StreamMismatch(RuntimeError):
    """This service listens where main_service does not publish (their AMQP_URL / REDIS_URL differ)."""


class RevocationFeed(BackgroundLoop):
    """Owns the background task. ``start()`` loads the state (waiting at most ``load_timeout`` seconds, then
    serving with ``catching_up`` set while it keeps trying) and follows the stream; every ``resync_seconds`` it
    also asks the source, which covers an event published while no subscriber was listening. While the stream
    is down it asks the source every ``retry_seconds`` (and stays ``catching_up`` until the stream is back).
    ``listeners`` see each new batch (main_service publishes them to the broker). ``gate``, when given, is
    awaited before the first attempt (auth_service waits until its own keys are served: main checks its service
    token with them)."""

    task_name = "revocation-feed"

    def __init__(
        self,
        state: DenyState,
        source: RevocationSource,
        stream: RevocationStream,
        *,
        resync_seconds: float = 30.0,
        retry_seconds: float = 1.0,
        batch: int = 500,
        listeners: Sequence[Listener] = (),
        gate: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.state = state
        self._source = source
        self._stream = stream
        self._resync = resync_seconds
        self._retry = retry_seconds
        self._batch = batch
        self._listeners = list(listeners)
        self._gate = gate
        self._loaded = asyncio.Event()
        self._lock = asyncio.Lock()
        self._read_started = float("-inf")
        self.published_on = ""  # where main says it publishes (from the last catch-up)

    async def start(self, load_timeout: float = 10.0) -> None:
        self._start_loop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._loaded.wait()), load_timeout)
        if not self._loaded.is_set():
            log.warning("revocation_state_not_loaded", waited_seconds=load_timeout)

    async def catch_up(self, *, after: float | None = None) -> int:
        """Apply every event after the state's cursor; returns how many. One read at a time per process.

        ``after`` (a time.monotonic() value, e.g. when the caller's transaction committed): skip the read when one
        that started later has already run, so a burst of commits costs a couple of reads, not one each."""
        async with self._lock:
            if after is not None and self._read_started > after:
                return 0
            self._read_started = time.monotonic()
            count = 0
            while True:
                page = await self._source.since(self.state.cursor, self._batch)
                if page.head < self.state.cursor:  # main's log was reset: start over
                    log.warning("revocation_log_reset", cursor=self.state.cursor, head=page.head)
                    self.state.reset()
                    continue
                self.published_on = page.stream
                await self._accept(page.events)
                count += len(page.events)
                if not page.more:
                    break
            self.state.synced_at = time.monotonic()
            self.state.prune()
            self._loaded.set()
            return count

    async def _accept(self, events: Sequence[RevocationEvent], *, from_log: bool = True) -> None:
        if not from_log:  # a live event: apply it, nothing to pass on (whoever read it from the log publishes it)
            self.state.apply(events, from_log=False)
            return
        fresh = [event for event in events if event.seq > self.state.cursor]
        self.state.apply(events)
        if fresh and self._loaded.is_set():  # the first load is history: subscribers catch up on it themselves
            for listener in self._listeners:
                try:
                    await listener(fresh)
                except Exception as exc:  # a listener (the broker publisher) failing must not stop the feed
                    log.warning("revocation_listener_failed", error=repr(exc))

    async def _run(self) -> None:
        if self._gate is not None:
            await self._gate()
        quiet = False  # one warning per outage, not one per retry
        while True:
            try:
                reads_log = isinstance(self._stream, PollingStream)
                async with self._stream.subscribe() as events:
                    await self.catch_up()  # after subscribing: whatever is published from now on arrives live
                    listening = getattr(self._stream, "name", None)
                    if listening and self.published_on and listening != self.published_on:
                        raise StreamMismatch(f"listening on {listening}, main publishes on {self.published_on}")
                    self.state.catching_up = False
                    quiet = False
                    log.info("revocation_feed_live", cursor=self.state.cursor)
                    resync = asyncio.create_task(self._resync_periodically())
                    try:
                        async for event in events:
                            await self._accept([event], from_log=reads_log)
                    finally:
                        resync.cancel()
                log.warning("revocation_stream_ended")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # broker, Redis or main unreachable: report, mark catching up, retry
                (log.debug if quiet else log.warning)("revocation_feed_lost", error=repr(exc))
                quiet = True
            self.state.catching_up = True
            # while the stream is down, main's log still answers: keep the state current from it
            with contextlib.suppress(Exception):
                await self.catch_up()
            await asyncio.sleep(self._retry)

    async def _resync_periodically(self) -> None:
        while True:
            await asyncio.sleep(self._resync)
            try:
                await self.catch_up()
            except Exception as exc:
                log.warning("revocation_resync_failed", error=repr(exc))
