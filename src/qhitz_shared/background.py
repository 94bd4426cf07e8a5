"""A loop a service runs beside its requests (an outbox relay, a sweep, a purge, an event feed)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import structlog

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


class Periodic(BackgroundLoop):
    """Runs ``job`` every ``interval`` seconds, the first time one interval after start (0: never). A run that
    fails is logged as ``failure_event`` with its traceback; the next one retries and the service keeps serving.
    With several replicas each runs it: the job itself makes concurrent runs safe (row locks, leases)."""

    def __init__(self, task_name: str, interval: float, job: Callable[[], Awaitable[object]], failure_event: str):
        self.task_name = task_name
        self._interval = interval
        self._job = job
        self._failure_event = failure_event

    async def start(self) -> None:
        if self._interval > 0:
            self._start_loop()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self._job()
            except Exception:
                log.exception(self._failure_event)
