"""ParkingLot: the operator's view of the parking queue (inspect, requeue, purge), over a plain aio-pika link."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractIncomingMessage, AbstractQueue

from qhitz_shared.amqp.topology import (
    ATTEMPT_HEADER,
    ERROR_HEADER,
    FAILED_AT_HEADER,
    OUTAGES_HEADER,
    RETRY_ROUTE,
    Topology,
)

_DROPPED_ON_REQUEUE = (
    "x-death",
    "x-delivery-count",
    ATTEMPT_HEADER,
    ERROR_HEADER,
    FAILED_AT_HEADER,
    OUTAGES_HEADER,
)


@dataclass(frozen=True, slots=True)
class ParkedMessage:
    message_id: str | None
    event: str | None
    subject: str | None  # the body's field naming what the message is about (medias: version_id; studio: job_id)
    error: str | None
    attempts: int | None
    failed_at: str | None
    body: str

    @classmethod
    def of(cls, message: AbstractIncomingMessage, subject_key: str = "version_id") -> ParkedMessage:
        headers: dict[str, Any] = dict(message.headers or {})
        error = headers.get(ERROR_HEADER)
        if error is None and headers.get("x-first-death-reason"):  # dead-lettered by the broker itself
            error = f"dead-lettered by RabbitMQ ({headers['x-first-death-reason']})"
        try:
            subject = json.loads(message.body).get(subject_key)
        except (ValueError, AttributeError):
            subject = None
        return cls(
            message_id=message.message_id,
            event=message.type,
            subject=None if subject is None else str(subject),
            error=_text(error),
            attempts=int(headers[ATTEMPT_HEADER]) if ATTEMPT_HEADER in headers else None,
            failed_at=_text(headers.get(FAILED_AT_HEADER)),
            body=message.body[:500].decode("utf-8", "replace"),
        )


def _text(value: Any) -> str | None:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


class ParkingQueueMissing(Exception):
    """No parking queue under this prefix: no worker has declared the topology yet."""


class ParkingLot:
    """Messages are taken with basic.get and held unacknowledged while a command runs, so none is seen twice;
    those a command does not consume are handed back (requeued) at the end."""

    def __init__(self, url: str, topology: Topology, subject_key: str = "version_id") -> None:
        self._url = url
        self._topology = topology
        self._subject_key = subject_key
        self._connection: AbstractConnection | None = None
        self._channel: AbstractChannel | None = None
        self._queue: AbstractQueue | None = None

    async def __aenter__(self) -> ParkingLot:
        """Raises ParkingQueueMissing (with the connection closed: none is left for the garbage collector to close
        after the event loop is gone)."""
        self._connection = await aio_pika.connect(self._url)
        try:
            self._channel = await self._connection.channel(publisher_confirms=True)
            self._queue = await self._channel.declare_queue(self._topology.parking.name, passive=True)
        except aio_pika.exceptions.ChannelClosed as exc:
            await self._connection.close()
            raise ParkingQueueMissing(self._topology.parking.name) from exc
        except BaseException:
            await self._connection.close()
            raise
        return self

    async def __aexit__(self, *exc: object | TracebackType | None) -> None:
        if self._connection is not None:
            await self._connection.close()

    async def count(self) -> int:
        """Messages ready in the queue. Those a command holds, or has just handed back, may be missing from it
        (RabbitMQ requeues asynchronously): count before taking any."""
        assert self._channel is not None
        queue = await self._channel.declare_queue(self._topology.parking.name, passive=True)
        return int(queue.declaration_result.message_count or 0)

    async def inspect(self, limit: int = 50) -> list[ParkedMessage]:
        held = await self._take(limit)
        try:
            return [ParkedMessage.of(message, self._subject_key) for message in held]
        finally:
            await _hand_back(held)

    async def requeue(self, limit: int | None = None, message_id: str | None = None) -> int:
        """Send parked messages (all, or the one with ``message_id``) back to the processing queue with a fresh
        attempt count; each is removed from the parking queue only after the broker confirmed its copy."""
        assert self._channel is not None
        retry = await self._channel.get_exchange(self._topology.retry.name)
        held = await self._take(limit)
        moved = 0
        try:
            for message in held:
                if message_id is not None and message.message_id != message_id:
                    continue
                headers = {k: v for k, v in (message.headers or {}).items() if k not in _DROPPED_ON_REQUEUE}
                copy = aio_pika.Message(
                    message.body,
                    headers=headers,
                    content_type=message.content_type,
                    message_id=message.message_id,
                    type=message.type,
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                )
                await retry.publish(copy, routing_key=RETRY_ROUTE, mandatory=True)
                await message.ack()
                moved += 1
        finally:
            await _hand_back([message for message in held if not message.processed])
        return moved

    async def purge(self) -> int:
        assert self._queue is not None
        result = await self._queue.purge()
        return int(result.message_count or 0)

    async def _take(self, limit: int | None) -> list[AbstractIncomingMessage]:
        assert self._queue is not None
        held: list[AbstractIncomingMessage] = []
        while limit is None or len(held) < limit:
            message = await self._queue.get(no_ack=False, fail=False)
            if message is None:
                break
            held.append(message)
        return held


async def _hand_back(messages: list[AbstractIncomingMessage]) -> None:
    for message in messages:
        with contextlib.suppress(Exception):
            await message.nack(requeue=True)
