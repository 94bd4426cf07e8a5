"""The assembly every queue worker shares: its broker (publisher confirms, graceful stop), the FastStream app on
the service's dishka container, the topology declared at start, and its background tasks (the outbox relay...)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from dishka import AsyncContainer
from dishka_faststream import setup_dishka
from faststream import AckPolicy, FastStream
from faststream.message import StreamMessage
from faststream.rabbit import RabbitBroker, RabbitQueue
from faststream.rabbit.schemas import Channel

from qhitz_shared.amqp.settings import AmqpSettings
from qhitz_shared.amqp.topology import Topology, declare
from qhitz_shared.service import Background


class Consumer(Protocol):
    def stop_taking(self) -> None:
        """On SIGTERM: messages not started go back to the queue; running ones finish within the grace period."""
        ...


async def raw_body(message: StreamMessage[Any]) -> bytes:
    """Bodies reach the handler undecoded: reading them is the handler's job, so garbage is parked, not dropped."""
    return message.body


def work_queue_subscriber(broker: RabbitBroker, topology: Topology, prefetch: int, title: str) -> Callable[..., Any]:
    """The decorator of a work queue's handler: the queue (declared with its bindings at start, not here),
    ``prefetch`` unacknowledged messages at most, manual acknowledgement (the handler settles every message),
    raw bodies, no replies."""
    return broker.subscriber(
        RabbitQueue(topology.processing.name, declare=False),
        channel=Channel(prefetch_count=prefetch),
        ack_policy=AckPolicy.MANUAL,
        decoder=raw_body,
        no_reply=True,
        title=title,
    )


def worker_broker(amqp: AmqpSettings, app_id: str, logger_name: str) -> RabbitBroker:
    """The worker's broker: confirms on, unroutable publishes raise, AMQP_GRACEFUL_TIMEOUT_SECONDS on SIGTERM."""
    return RabbitBroker(
        amqp.url,
        timeout=amqp.connect_timeout_seconds,
        graceful_timeout=amqp.graceful_timeout_seconds,
        default_channel=Channel(publisher_confirms=True, on_return_raises=True),
        app_id=app_id,
        logger=logging.getLogger(logger_name),
    )


def assemble_worker(
    broker: RabbitBroker,
    container: AsyncContainer,
    topology: Topology,
    work_events: Sequence[str],
    consumer: Consumer,
    tasks: Sequence[Background],
    *,
    logger_name: str,
) -> FastStream:
    """A FastStream app over ``broker`` (its subscribers already added) and ``container`` (closed with the app):
    the topology is declared before consuming starts, ``tasks`` start once it consumes and stop, in reverse, when
    SIGTERM arrives (after the consumer stopped taking new messages)."""
    app = FastStream(broker, logger=logging.getLogger(logger_name))
    setup_dishka(container, app=app, auto_inject=True, finalize_container=True)

    @app.on_startup
    async def declare_topology() -> None:
        await broker.connect()
        await declare(broker, topology, work_events)

    @app.after_startup
    async def start_tasks() -> None:
        for task in tasks:
            await task.start()

    @app.on_shutdown
    async def stop_taking_work() -> None:
        consumer.stop_taking()
        for task in reversed(tasks):
            await task.stop()

    return app
