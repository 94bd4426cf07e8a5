"""RabbitEventPublisher: the outbox relay's way to RabbitMQ."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Protocol

from faststream.rabbit import RabbitBroker
from faststream.rabbit.schemas import Channel

from qhitz_shared.amqp.settings import AmqpSettings
from qhitz_shared.amqp.topology import Topology, declare
from qhitz_shared.outbox.events import EventPublisher, OutgoingEvent
from qhitz_shared.outbox.inprocess import InProcessEventPublisher


def publishing_broker(url: str, *, connect_timeout: float, app_id: str) -> RabbitBroker:
    """A broker used only to publish: confirms on, and a message no queue takes raises instead of vanishing."""
    return RabbitBroker(
        url,
        fail_fast=True,
        timeout=connect_timeout,
        default_channel=Channel(publisher_confirms=True, on_return_raises=True),
        app_id=app_id,
        logger=logging.getLogger(f"{app_id}.amqp"),
        log_level=logging.DEBUG,
    )


class BrokerUnreachable(ConnectionError):
    """The connection attempt this publish waited on failed."""


class RabbitEventPublisher:
    """Publishes to ``P.events`` routed by event name: persistent, confirmed by the broker, and for the work events
    (``work_events``, which the work queue is bound to) mandatory (unroutable raises). It has its own connection
    (a publisher held back by flow control never stalls consumers), opened lazily and declared with the whole
    topology; after any failure it is dropped and the next publish opens a new one, so while the broker is
    unreachable every publish fails fast and the relay backs off. Publishes waiting while a connection attempt
    fails share its failure instead of each trying again: one connection attempt per relay round, however many
    events are pending."""

    def __init__(
        self,
        url: str,
        topology: Topology,
        work_events: Sequence[str],
        *,
        app_id: str,
        connect_timeout: float = 10.0,
        publish_timeout: float = 15.0,
    ) -> None:
        self._url = url
        self._topology = topology
        self._work_events = tuple(work_events)
        self._app_id = app_id
        self._connect_timeout = connect_timeout
        self._publish_timeout = publish_timeout
        self._broker: RabbitBroker | None = None
        self._broken = False
        self._lock = asyncio.Lock()
        self._attempts = 0  # connection attempts started so far
        self._connecting = False
        self._failure: BaseException | None = None  # why the last one failed, while no connection is open

    async def publish(self, event: OutgoingEvent) -> None:
        broker = await self._connected()
        try:
            async with asyncio.timeout(self._publish_timeout):
                await broker.publish(
                    event.body,
                    exchange=self._topology.events,
                    routing_key=event.name,
                    persist=True,
                    # the work queue must take its events; others are for whoever subscribed (maybe nobody)
                    mandatory=event.name in self._work_events,
                    message_id=str(event.id),
                    message_type=event.name,
                    content_type="application/json",
                    timeout=self._publish_timeout,
                )
        except BaseException:
            self._broken = True
            raise

    async def _connected(self) -> RabbitBroker:
        # the attempts finished before this call; one running now counts as not yet finished
        attempts_seen = self._attempts - self._connecting
        async with self._lock:
            if self._broker is None and self._failure is not None and self._attempts != attempts_seen:
                raise BrokerUnreachable(f"the broker is unreachable: {self._failure!r}") from self._failure
            if self._broken:
                await self._drop()
            if self._broker is None:
                self._attempts += 1
                self._connecting = True
                broker = publishing_broker(self._url, connect_timeout=self._connect_timeout, app_id=self._app_id)
                try:
                    async with asyncio.timeout(self._connect_timeout * 2):
                        await broker.connect()
                        await declare(broker, self._topology, self._work_events)
                except BaseException as exc:
                    self._failure = exc
                    with contextlib.suppress(Exception):
                        await broker.stop()
                    raise
                finally:
                    self._connecting = False
                self._broker, self._broken, self._failure = broker, False, None
            return self._broker

    async def _drop(self) -> None:
        broker, self._broker, self._broken = self._broker, None, False
        if broker is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(broker.stop(), timeout=5)

    async def close(self) -> None:
        async with self._lock:
            await self._drop()


class InProcessWork(Protocol):
    """What runs a service's work in its own process when it has no broker (make dev)."""

    async def deliver(self, event: OutgoingEvent) -> None: ...

    async def close(self) -> None: ...


@contextlib.asynccontextmanager
async def work_publisher(
    amqp: AmqpSettings,
    topology: Topology,
    events: Sequence[str],
    app_id: str,
    in_process: Callable[[], InProcessWork],
) -> AsyncIterator[EventPublisher]:
    """Where a service's outbox publishes its work events: RabbitMQ (the confirming publisher on ``topology``) when
    ``amqp.url`` is set; otherwise ``in_process()`` runs the work in this process. Closed on exit."""
    if amqp.url:
        rabbit = RabbitEventPublisher(
            amqp.url,
            topology,
            events,
            app_id=app_id,
            connect_timeout=amqp.connect_timeout_seconds,
            publish_timeout=amqp.publish_timeout_seconds,
        )
        try:
            yield rabbit
        finally:
            await rabbit.close()
        return
    local = in_process()
    try:
        yield InProcessEventPublisher(local.deliver)
    finally:
        await local.close()
