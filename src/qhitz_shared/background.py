"""A loop a service runs beside its requests (an outbox relay, a sweep, a purge, an event feed)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import structlog
from dishka import AsyncContainer

log = structlog.get_logger(__name__)


class BackgroundLoop:
    """Owns one asyncio task running ``_run`` (a loop that ends only by cancellation): ``start`` creates it once,
    ``stop`` cancels it and waits for it to unwind. Subclasses name the task and implement ``_run``; a ``start``
    with conditions (an interval of 0 = off, waiting for a first load) calls ``_start_loop`` itself."""

    task_name = "background-loop"
    _task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._start_loop()

    def _start_loop(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=self.task_name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        raise NotImplementedError


class PeriodicLoop(BackgroundLoop):
    """Calls ``run_once`` every ``interval`` seconds (0 or less: never started); with ``wait_first`` the first call
    comes one interval after start. A failing round is logged as ``failure_event`` (default
    ``<task_name>_failed``) and the next one retries: the service keeps serving."""

    failure_event: str | None = None

    def __init__(self, interval: float, *, wait_first: bool = False) -> None:
        self._interval = interval
        self._wait_first = wait_first

    async def start(self) -> None:
        if self._interval > 0:
            self._start_loop()

    async def run_once(self) -> None:
        raise NotImplementedError

    async def _run(self) -> None:
        if self._wait_first:
            await asyncio.sleep(self._interval)
        while True:
            try:
                await self.run_once()
            except Exception:
                log.exception(self.failure_event or f"{self.task_name.replace('-', '_')}_failed")
            await asyncio.sleep(self._interval)


class Periodic(PeriodicLoop):
    """A PeriodicLoop of one function: ``job`` every ``interval`` seconds, the first time one interval after start
    (0: never); a failing run is logged as ``failure_event``. With several replicas each runs it: the job itself
    makes concurrent runs safe (row locks, leases)."""

    def __init__(self, task_name: str, interval: float, job: Callable[[], Awaitable[object]], failure_event: str):
        super().__init__(interval, wait_first=True)
        self.task_name = task_name
        self.failure_event = failure_event
        self._job = job

    async def run_once(self) -> None:
        await self._job()


class Backoff:
    """Exponential waits between failed rounds, reset by a success."""

    def __init__(self, first: float = 0.5, cap: float = 30.0) -> None:
        self._first, self._cap, self._next = first, cap, first

    def failed(self) -> float:
        wait, self._next = self._next, min(self._next * 2, self._cap)
        return wait

    def succeeded(self) -> None:
        self._next = self._first


class BatchLoop(BackgroundLoop):
    """Works through rows a table holds for later (an outbox, recorded requests) until stopped: ``_batch`` runs in
    a REQUEST scope of ``container`` and returns how many rows it handled; the next batch follows at once while
    batches come back full, after ``poll_seconds`` otherwise, and after an exponential backoff (0.5 s doubling to
    30 s) while they fail (logged as ``<task_name>_failed``)."""

    def __init__(self, container: AsyncContainer, *, batch: int = 100, poll_seconds: float = 0.5) -> None:
        self._container = container
        self._batch_size = batch
        self._poll_seconds = poll_seconds
        self._backoff = Backoff()

    async def _batch(self, request: AsyncContainer, limit: int) -> int:
        raise NotImplementedError

    async def _run(self) -> None:
        while True:
            try:
                async with self._container() as request:
                    done = await self._batch(request, self._batch_size)
            except Exception as exc:
                wait = self._backoff.failed()
                log.warning(f"{self.task_name.replace('-', '_')}_failed", error=repr(exc), retry_in_seconds=wait)
                await asyncio.sleep(wait)
                continue
            self._backoff.succeeded()
            if done < self._batch_size:
                await asyncio.sleep(self._poll_seconds)
