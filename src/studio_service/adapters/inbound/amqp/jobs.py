"""The job queue's consumer: one message, one JobRunner.run. The row is the truth, so a message is only a nudge:
a second delivery finds the job claimed or finished and is acknowledged without running anything."""

from __future__ import annotations

import asyncio
import uuid

import msgspec
import structlog
from dishka_faststream import FromDishka
from faststream.rabbit import RabbitBroker
from faststream.rabbit.annotations import RabbitMessage

from qhitz_shared.amqp.topology import Topology
from qhitz_shared.amqp.worker import work_queue_subscriber
from qhitz_shared.db import database_unavailable
from qhitz_shared.errors import DependencyUnavailableError
from studio_service.services.runner import JobRunner

log = structlog.get_logger(__name__)


class QueuedJob(msgspec.Struct):
    job_id: uuid.UUID


def read_job_id(body: bytes) -> uuid.UUID | None:
    try:
        return msgspec.json.decode(body, type=QueuedJob).job_id
    except msgspec.DecodeError:
        return None


class JobConsumer:
    """At most ``concurrency`` jobs at once. Unreadable messages are rejected (the broker dead-letters them to the
    parking queue); an outage of the database is requeued after a pause (the quorum queue's delivery limit parks a
    message that never gets through); when stopping, messages not started go back to the queue."""

    def __init__(self, broker: RabbitBroker, topology: Topology, concurrency: int, outage_pause: float = 1.0) -> None:
        self._broker = broker
        self._topology = topology
        self._slots = asyncio.Semaphore(concurrency)
        self._stopping = False
        self._pause = outage_pause

    def subscribe(self, prefetch: int) -> None:
        @work_queue_subscriber(self._broker, self._topology, prefetch, "studio jobs")
        async def run_job(body: bytes, message: RabbitMessage, runner: FromDishka[JobRunner]) -> None:
            await self.handle(body, message, runner)

    def stop_taking(self) -> None:
        self._stopping = True

    async def handle(self, body: bytes, message: RabbitMessage, runner: JobRunner) -> None:
        job_id = read_job_id(body)
        if job_id is None:
            log.error("job_message_unreadable", message_id=message.message_id)
            await message.reject(requeue=False)
            return
        if self._stopping:
            await message.nack(requeue=True)
            return
        async with self._slots:
            try:
                await runner.run(job_id)
            except Exception as exc:
                if isinstance(exc, DependencyUnavailableError) or database_unavailable(exc):
                    log.warning("job_run_outage", job_id=str(job_id), error=repr(exc))
                    await asyncio.sleep(self._pause)
                    await message.nack(requeue=True)
                    return
                log.error("job_run_crashed", job_id=str(job_id), error=repr(exc))
                await message.reject(requeue=False)
                return
        await message.ack()
