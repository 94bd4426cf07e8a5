"""Processing inside the HTTP process, for development without a broker (no AMQP_URL): events the outbox relay
hands over run their job in a background task, with the same retry policy as the worker (waits in memory)."""

from __future__ import annotations

import asyncio
import contextlib

import msgspec
import structlog
from dishka import AsyncContainer

from medias_service.adapters.inbound.amqp.envelope import JobMessage
from medias_service.adapters.inbound.amqp.processing import describe, infrastructure_unavailable
from medias_service.domain.events import PROCESSING_EVENTS
from medias_service.domain.processing import RetryPolicy
from medias_service.services.pipeline import VersionPipeline
from qhitz_shared.outbox.events import OutgoingEvent

log = structlog.get_logger(__name__)


class InProcessProcessing:
    """At most ``concurrency`` jobs at once; blocking work runs in threads like in the worker. What is running when
    the process stops is lost with it (the version stays processing; POST .../reprocess starts it again)."""

    def __init__(self, container: AsyncContainer, policy: RetryPolicy, concurrency: int) -> None:
        self._container = container
        self._policy = policy
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()

    async def deliver(self, event: OutgoingEvent) -> None:
        if event.name not in PROCESSING_EVENTS:
            return  # other consumers of media.processed / media.failed live behind a broker
        job = msgspec.json.decode(event.body, type=JobMessage)
        task = asyncio.create_task(self._run(job), name=f"process-{job.version_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, job: JobMessage) -> None:
        try:
            await self._attempts(job)
        except Exception:
            log.exception("processing_job_crashed", version_id=str(job.version_id))

    async def _attempts(self, job: JobMessage) -> None:
        """Like the worker: a run an outage (database, storage) stopped spends no attempt and waits ever longer,
        up to the schedule's longest wait, until the outage ends."""
        attempt, outages = 1, 0
        while True:
            async with self._slots, self._container() as request:
                pipeline = await request.get(VersionPipeline)
                try:
                    await pipeline.run(job.version_id)
                    return
                except Exception as exc:
                    if infrastructure_unavailable(exc):
                        outages += 1
                        wait = self._policy.outage_delay(outages)
                        log.warning("processing_postponed_by_outage", version_id=str(job.version_id), outages=outages)
                    else:
                        outages = 0
                        wait = self._policy.delay(attempt)
                        log.warning(
                            "processing_attempt_failed",
                            version_id=str(job.version_id),
                            attempt=attempt,
                            error=repr(exc),
                        )
                        if await self._settled(pipeline, job, attempt, exc):
                            return
                        attempt += 1
            await asyncio.sleep(wait)

    async def _settled(self, pipeline: VersionPipeline, job: JobMessage, attempt: int, exc: Exception) -> bool:
        """After a failed attempt: the version failed for good (True), or is pending again for the next one."""
        try:
            if self._policy.exhausted(attempt):
                await pipeline.give_up(job.version_id, describe(exc), attempts=attempt)
                return True
            await pipeline.postpone(job.version_id)
        except Exception as error:
            if not infrastructure_unavailable(error):
                raise
            log.warning("processing_status_not_saved", version_id=str(job.version_id), error=repr(error))
            return False  # recorded by a later run, once the database is back
        return False

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
