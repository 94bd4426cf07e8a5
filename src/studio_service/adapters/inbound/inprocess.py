"""Jobs inside the HTTP process, for development without a broker (no AMQP_URL): each studio.job.queued event the
outbox relay hands over runs its job in a background task. What runs when the process stops is lost with it (the
job stays running until its deadline fails it and releases its hold)."""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from dishka import AsyncContainer

from qhitz_shared.outbox.events import OutgoingEvent
from studio_service.adapters.inbound.amqp.jobs import read_job_id
from studio_service.services.runner import JobRunner

log = structlog.get_logger(__name__)


class InProcessJobs:
    def __init__(self, container: AsyncContainer, concurrency: int) -> None:
        self._container = container
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()

    async def deliver(self, event: OutgoingEvent) -> None:
        job_id = read_job_id(event.body)
        if job_id is None:
            log.error("job_event_unreadable", event_id=str(event.id))
            return
        task = asyncio.create_task(self._run(job_id), name=f"studio-job-{job_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, job_id: object) -> None:
        async with self._slots:
            try:
                async with self._container() as request:
                    await (await request.get(JobRunner)).run(job_id)  # type: ignore[arg-type]
            except Exception as exc:  # the deadline sweep ends a job left running
                log.error("job_run_crashed", job_id=str(job_id), error=repr(exc))

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
