"""The processing queue's consumer: one message, one VersionPipeline run; retries through the delay queues, and
the parking queue when every attempt failed or the message cannot be read."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import Any

import structlog
from dishka_faststream import FromDishka
from faststream.rabbit import RabbitBroker
from faststream.rabbit.annotations import RabbitMessage

from medias_service.adapters.inbound.amqp.envelope import (
    DELIVERY_COUNT_HEADER,
    MAX_COUNT,
    Job,
    UnreadableMessage,
    message_headers,
    read_job,
)
from medias_service.adapters.outbound.storage.outages import storage_unavailable
from medias_service.domain.processing import RetryPolicy
from medias_service.services.pipeline import VersionPipeline
from qhitz_shared.amqp.topology import (
    ATTEMPT_HEADER,
    ERROR_HEADER,
    FAILED_AT_HEADER,
    OUTAGES_HEADER,
    Topology,
)
from qhitz_shared.amqp.worker import work_queue_subscriber
from qhitz_shared.db import database_unavailable
from qhitz_shared.errors import DependencyUnavailableError

log = structlog.get_logger(__name__)

_BROKER_HEADERS = frozenset(
    {
        "x-death",
        "x-first-death-exchange",
        "x-first-death-queue",
        "x-first-death-reason",
        "x-last-death-exchange",
        "x-last-death-queue",
        "x-last-death-reason",
        DELIVERY_COUNT_HEADER,
    }
)


def infrastructure_unavailable(exc: BaseException) -> bool:
    """The job failed because the database or the storage is out of reach, not because of the job itself."""
    return isinstance(exc, DependencyUnavailableError) or database_unavailable(exc) or storage_unavailable(exc)


def describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:500]}" if text else type(exc).__name__


class ProcessingConsumer:
    """At most ``concurrency`` jobs at once (the channel's prefetch may hold more, waiting). Every message is
    settled exactly once: acked when the job is done, failed for good, or moved to a delay or the parking queue
    (republished with publisher confirms before the ack, so a crash in between duplicates, never loses);
    requeued when the worker is stopping. A run stopped by an outage of the database or the storage spends no
    attempt: the message waits in the delay queues (growing waits, then the longest again) until the outage ends,
    so a long outage cannot exhaust the attempts, nor park a job whose failure could not even be recorded. A
    worker killed mid-job acks nothing: the broker delivers the message again, and after 2 x ``max_attempts``
    such deliveries it fails the version as it would any other failure."""

    def __init__(self, broker: RabbitBroker, topology: Topology, policy: RetryPolicy, concurrency: int) -> None:
        self._broker = broker
        self._topology = topology
        self._policy = policy
        self._slots = asyncio.Semaphore(concurrency)
        self._stopping = False
        # deliveries never settled (workers killed, or stopping, while holding it) before the job counts as failing
        self._crash_limit = 2 * policy.max_attempts

    def subscribe(self, prefetch: int) -> None:
        @work_queue_subscriber(self._broker, self._topology, prefetch, "media processing")
        async def process_version(body: bytes, message: RabbitMessage, pipeline: FromDishka[VersionPipeline]) -> None:
            await self.handle(body, message, pipeline)

    async def handle(self, body: bytes, message: RabbitMessage, pipeline: VersionPipeline) -> None:
        """Settles ``message`` whatever happens: an error escaping the job's own handling would leave it
        unacknowledged, holding a prefetch slot until the connection drops, so it is parked with the reason."""
        try:
            await self._handle(body, message, pipeline)
        except Exception as exc:
            log.error("processing_message_crashed", error=repr(exc), message_id=message.message_id)
            if getattr(message, "committed", None) is not None:
                return  # settled already (the broker lost the ack? then it delivers the message again)
            headers = message_headers(message.raw_message)
            await self._settle(message, self._park(message, headers, f"Worker error: {describe(exc)}", 1))

    def stop_taking(self) -> None:
        """On SIGTERM: jobs not started yet go back to the queue; running ones finish (within the grace period)."""
        self._stopping = True

    async def _handle(self, body: bytes, message: RabbitMessage, pipeline: VersionPipeline) -> None:
        try:
            job = read_job(body, message.raw_message)
        except UnreadableMessage as exc:
            log.warning("processing_message_unreadable", error=str(exc), message_id=message.message_id)
            headers = message_headers(message.raw_message)
            await self._settle(message, self._park(message, headers, f"Unreadable message: {exc}", 1))
            return
        async with self._slots:
            if self._stopping:
                with contextlib.suppress(Exception):
                    await message.nack(requeue=True)
                return
            if job.deliveries >= self._crash_limit:
                error = f"the worker stopped {job.deliveries} times while processing it"
                await self._failed(message, pipeline, job, max(job.attempt, job.deliveries), error, final=True)
                return
            try:
                await pipeline.run(job.version_id)
            except Exception as exc:
                if infrastructure_unavailable(exc):
                    await self._outage(message, job, exc)
                    return
                log.warning(
                    "processing_attempt_failed", version_id=str(job.version_id), attempt=job.attempt, error=repr(exc)
                )
                final = self._policy.exhausted(job.attempt)
                await self._failed(message, pipeline, job, job.attempt, describe(exc), final=final)
                return
        await message.ack()

    async def _failed(
        self,
        message: RabbitMessage,
        pipeline: VersionPipeline,
        job: Job,
        attempt: int,
        error: str,
        *,
        final: bool,
    ) -> None:
        try:  # the database may be what failed: the message still moves on, and the job's next run fixes the status
            if final:
                await pipeline.give_up(job.version_id, error, attempts=attempt)
            else:
                await pipeline.postpone(job.version_id)
        except Exception as exc:
            log.warning("processing_status_not_saved", version_id=str(job.version_id), error=repr(exc))
            if final and infrastructure_unavailable(exc):  # parked now, the version would stay unfinished for ever
                await self._outage(message, job, exc)
                return
        if final:
            await self._settle(message, self._park(message, job.headers, error, attempt))
        else:
            await self._settle(message, self._delay(message, job.headers, error, attempt))

    async def _settle(self, message: RabbitMessage, republish: Any) -> None:
        try:
            await republish
        except Exception as exc:
            log.error("processing_republish_failed", error=repr(exc), message_id=message.message_id)
            with contextlib.suppress(Exception):
                await message.nack(requeue=True)
            return
        await message.ack()

    async def _outage(self, message: RabbitMessage, job: Job, exc: BaseException) -> None:
        """Back to the queue after a wait, with the same attempt number."""
        outages = min(job.outages + 1, MAX_COUNT)
        wait = self._policy.outage_delay(outages)
        log.warning(
            "processing_postponed_by_outage", version_id=str(job.version_id), outages=outages, retry_in_seconds=wait
        )
        queue = self._topology.delay_queue(wait)
        republish = self._republish(
            message,
            {**job.headers, OUTAGES_HEADER: outages},
            routing_key=queue.name,
            exchange=None,
            attempt=job.attempt,
            error=describe(exc),
        )
        await self._settle(message, republish)

    async def _delay(self, message: RabbitMessage, headers: dict[str, Any], error: str, attempt: int) -> None:
        queue = self._topology.delay_queue(self._policy.delay(attempt))
        kept = {key: value for key, value in headers.items() if key != OUTAGES_HEADER}  # the outage, if any, is over
        await self._republish(message, kept, routing_key=queue.name, exchange=None, attempt=attempt + 1, error=error)

    async def _park(self, message: RabbitMessage, headers: dict[str, Any], error: str, attempt: int) -> None:
        await self._republish(
            message, headers, routing_key="", exchange=self._topology.dead, attempt=attempt, error=error
        )

    async def _republish(
        self,
        message: RabbitMessage,
        headers: dict[str, Any],
        *,
        routing_key: str,
        exchange: Any,
        attempt: int,
        error: str,
    ) -> None:
        kept = {key: value for key, value in headers.items() if key not in _BROKER_HEADERS}
        raw = message.raw_message
        await self._broker.publish(
            raw.body,
            exchange=exchange,
            routing_key=routing_key,
            persist=True,
            mandatory=True,
            headers={
                **kept,
                ATTEMPT_HEADER: attempt,
                ERROR_HEADER: error[:1000],
                FAILED_AT_HEADER: datetime.now(UTC).isoformat(timespec="seconds"),
            },
            message_id=raw.message_id,
            message_type=raw.type,
            content_type=raw.content_type,
        )
