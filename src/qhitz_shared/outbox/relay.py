"""The outbox relay: recorded events out to their consumers, at least once; and the loop that runs it."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import structlog
from dishka import AsyncContainer

from qhitz_shared.background import BatchLoop
from qhitz_shared.errors import DependencyUnavailableError
from qhitz_shared.outbox.events import EventPublisher, OutboxStore
from qhitz_shared.ports import UnitOfWork

log = structlog.get_logger(__name__)


class PublishFailed(DependencyUnavailableError):
    code = "event_publish_failed"
    title = "Events could not be published"


class OutboxRelay:
    """One batch per transaction: the rows stay locked while they are published, and are marked sent only once
    the publisher confirmed them. A crash in between publishes them again (consumers are idempotent); nothing is
    lost. When some fail, the others are still marked sent and PublishFailed tells the caller to back off."""

    def __init__(self, store: OutboxStore, publisher: EventPublisher, uow: UnitOfWork) -> None:
        self._store = store
        self._publisher = publisher
        self._uow = uow

    async def relay_batch(self, limit: int = 100) -> int:
        """Publish up to ``limit`` pending events; returns how many were sent."""
        try:
            events = await self._store.pending(limit)
            if not events:
                return 0
            results = await asyncio.gather(
                *(self._publisher.publish(event) for event in events), return_exceptions=True
            )
            sent = [event.id for event, result in zip(events, results, strict=True) if result is None]
            errors = [(event, result) for event, result in zip(events, results, strict=True) if result is not None]
            await self._store.mark_sent(sent)
            if errors:
                await self._store.note_failure([event.id for event, _ in errors], repr(errors[0][1]))
            await self._uow.commit()
        finally:
            await self._uow.rollback()
        if errors:
            raise PublishFailed(f"{len(errors)} of {len(events)} events were not published: {errors[0][1]!r}")
        return len(sent)

    async def forget_sent(self, older_than: timedelta, limit: int = 1000) -> int:
        forgotten = await self._store.forget_sent(datetime.now(UTC) - older_than, limit)
        await self._uow.commit()
        return forgotten


class RelayRunner(BatchLoop):
    """Runs the outbox relay (an ``OutboxRelay`` from a REQUEST scope of ``container``) until stopped: a batch of
    ``batch`` when there is work, a poll every ``poll_seconds`` when idle, exponential backoff (0.5 s doubling to
    30 s) while publishing fails; sent rows are deleted after ``retention_hours``. Several runners (processes,
    replicas) share the rows without sending one twice."""

    CLEANUP_EVERY = 600.0
    task_name = "outbox-relay"

    def __init__(
        self, container: AsyncContainer, *, batch: int = 100, poll_seconds: float = 0.5, retention_hours: float = 24.0
    ) -> None:
        super().__init__(container, batch=batch, poll_seconds=poll_seconds)
        self._retention = timedelta(hours=retention_hours)
        self._cleaned = 0.0

    async def _batch(self, request: AsyncContainer, limit: int) -> int:
        relay = await request.get(OutboxRelay)
        sent = await relay.relay_batch(limit)
        if time.monotonic() - self._cleaned > self.CLEANUP_EVERY:
            await relay.forget_sent(self._retention)
            self._cleaned = time.monotonic()
        return sent
