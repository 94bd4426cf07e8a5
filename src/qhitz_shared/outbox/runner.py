"""The outbox relay's loop, run beside a service's requests or in its worker."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import structlog
from dishka import AsyncContainer

from qhitz_shared.background import BackgroundLoop
from qhitz_shared.outbox.relay import OutboxRelay

log = structlog.get_logger(__name__)


class Backoff:
    """Exponential waits between failed rounds, reset by a success."""

    def __init__(self, first: float = 0.5, cap: float = 30.0) -> None:
        self._first, self._cap, self._next = first, cap, first

    def failed(self) -> float:
        wait, self._next = self._next, min(self._next * 2, self._cap)
        return wait

    def succeeded(self) -> None:
        self._next = self._first


class RelayRunner(BackgroundLoop):
    """Runs the container's OutboxRelay (REQUEST scope) until stopped: a batch when there is work, a poll every
    ``poll_seconds`` when idle, exponential backoff (0.5 s doubling to 30 s) while publishing fails; sent rows are
    deleted after ``retention_hours``. Several runners (processes, replicas) share the rows without sending one
    twice."""

    CLEANUP_EVERY = 600.0
    task_name = "outbox-relay"

    def __init__(
        self, container: AsyncContainer, *, batch: int = 100, poll_seconds: float = 0.5, retention_hours: float = 24.0
    ) -> None:
        self._container = container
        self._batch = batch
        self._poll_seconds = poll_seconds
        self._retention = timedelta(hours=retention_hours)
        self._backoff = Backoff()

    async def _run(self) -> None:
        cleaned = 0.0
        while True:
            try:
                async with self._container() as request:
                    relay = await request.get(OutboxRelay)
                    sent = await relay.relay_batch(self._batch)
                    if time.monotonic() - cleaned > self.CLEANUP_EVERY:
                        await relay.forget_sent(self._retention)
                        cleaned = time.monotonic()
            except Exception as exc:
                wait = self._backoff.failed()
                log.warning("outbox_relay_failed", error=repr(exc), retry_in_seconds=wait)
                await asyncio.sleep(wait)
                continue
            self._backoff.succeeded()
            if sent < self._batch:
                await asyncio.sleep(self._poll_seconds)
