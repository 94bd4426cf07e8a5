"""The RabbitMQ objects of a service's work queue, all named from one prefix (P) and the queue's name (W):

- ``P.events`` (topic): every event, routed by name; other services bind their own queues to it.
- ``P.W`` (quorum; medias: ``medias.processing``, studio: ``studio.jobs``): the events that are work, consumed by
  the worker; messages the broker dead-letters (rejected, or redelivered past the delivery limit) go to ``P.dead``.
- ``P.delay.<ms>ms`` (one per retry delay, none for studio): a failed job waits there for its TTL, then returns to
  ``P.W`` through ``P.retry``.
- ``P.dead`` (fanout) → ``P.parking`` (quorum): jobs that failed every attempt, and undecodable messages, with
  the error in their headers, kept for an operator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from faststream.rabbit import ExchangeType, QueueType, RabbitBroker, RabbitExchange, RabbitQueue

RETRY_ROUTE = "process"
# Headers the worker sets on a message it delays or parks.
ATTEMPT_HEADER = "x-qhitz-attempt"
ERROR_HEADER = "x-qhitz-error"
FAILED_AT_HEADER = "x-qhitz-failed-at"
# Runs in a row that an outage (database, storage) stopped: they spend no attempt, and only grow the wait.
OUTAGES_HEADER = "x-qhitz-outages"
# A job that keeps killing its worker is dead-lettered by the broker after this many deliveries.
DELIVERY_LIMIT = 20


@dataclass(frozen=True, slots=True)
class Topology:
    prefix: str
    delays: tuple[float, ...] = ()
    """Seconds, from RetryPolicy.delays()."""
    work: str = "processing"
    """The work queue's name after the prefix."""

    @property
    def events(self) -> RabbitExchange:
        return RabbitExchange(f"{self.prefix}.events", type=ExchangeType.TOPIC, durable=True)

    @property
    def retry(self) -> RabbitExchange:
        return RabbitExchange(f"{self.prefix}.retry", type=ExchangeType.DIRECT, durable=True)

    @property
    def dead(self) -> RabbitExchange:
        return RabbitExchange(f"{self.prefix}.dead", type=ExchangeType.FANOUT, durable=True)

    @property
    def processing(self) -> RabbitQueue:
        return RabbitQueue(
            f"{self.prefix}.{self.work}",
            queue_type=QueueType.QUORUM,
            arguments={
                "x-dead-letter-exchange": self.dead.name,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
                "x-delivery-limit": DELIVERY_LIMIT,
            },
        )

    @property
    def parking(self) -> RabbitQueue:
        return RabbitQueue(f"{self.prefix}.parking", queue_type=QueueType.QUORUM)

    def delay_queue(self, seconds: float) -> RabbitQueue:
        milliseconds = max(1, round(seconds * 1000))
        return RabbitQueue(
            f"{self.prefix}.delay.{milliseconds}ms",
            durable=True,
            arguments={
                "x-message-ttl": milliseconds,
                "x-dead-letter-exchange": self.retry.name,
                "x-dead-letter-routing-key": RETRY_ROUTE,
            },
        )

    def queue_names(self) -> list[str]:
        return [self.processing.name, self.parking.name, *(self.delay_queue(d).name for d in self.delays)]

    def exchange_names(self) -> list[str]:
        return [self.events.name, self.retry.name, self.dead.name]


async def declare(broker: RabbitBroker, topology: Topology, routes: Sequence[str]) -> None:
    """Declare everything (idempotent), the work queue bound to the events named ``routes``: publishers do it
    too, so no event is unroutable before a worker starts."""
    events = await broker.declare_exchange(topology.events)
    retry = await broker.declare_exchange(topology.retry)
    dead = await broker.declare_exchange(topology.dead)
    processing = await broker.declare_queue(topology.processing)
    for route in routes:
        await processing.bind(events, routing_key=route)
    await processing.bind(retry, routing_key=RETRY_ROUTE)
    parking = await broker.declare_queue(topology.parking)
    await parking.bind(dead, routing_key="")
    for delay in topology.delays:
        await broker.declare_queue(topology.delay_queue(delay))
