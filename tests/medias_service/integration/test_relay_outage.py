"""While the broker is down, a relay round over many pending events opens one connection, not one per event."""

from __future__ import annotations

import uuid

from medias_service.domain.events import PROCESSING_EVENTS
from qhitz_shared.amqp.publisher import RabbitEventPublisher
from qhitz_shared.amqp.topology import Topology
from qhitz_shared.outbox.events import OutgoingEvent
from qhitz_shared.outbox.relay import OutboxRelay, PublishFailed
from tests.support.proxy import TcpProxy

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


class NoTransaction:
    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class PendingEvents:
    """The relay's side of an outbox holding ``count`` unsent events."""

    def __init__(self, count: int) -> None:
        self.events = [OutgoingEvent(uuid.uuid4(), "media.version.created", b"{}") for _ in range(count)]
        self.failures: list[tuple[list[uuid.UUID], str]] = []

    async def pending(self, limit: int) -> list[OutgoingEvent]:
        return self.events[:limit]

    async def mark_sent(self, ids: list[uuid.UUID]) -> None:
        assert ids == []

    async def note_failure(self, ids: list[uuid.UUID], error: str) -> None:
        self.failures.append((ids, error))


async def test_one_connection_attempt_per_relay_round_while_the_broker_is_down() -> None:
    with TcpProxy("127.0.0.1", 5672) as broker_down:
        broker_down.reset()  # accepts and drops every connection, counting them
        publisher = RabbitEventPublisher(
            broker_down.url(AMQP_URL),
            Topology(f"qhitz-test-{uuid.uuid4().hex[:8]}"),
            PROCESSING_EVENTS,
            app_id="medias_service",
            connect_timeout=2,
        )
        store = PendingEvents(50)
        relay = OutboxRelay(store, publisher, NoTransaction())  # type: ignore[arg-type]
        try:
            for round_number in (1, 2, 3):
                try:
                    await relay.relay_batch(100)
                except PublishFailed:
                    pass
                else:
                    raise AssertionError("nothing can be published through a broker that is down")
                assert broker_down.accepted == round_number
            assert [len(ids) for ids, _ in store.failures] == [50, 50, 50]
        finally:
            await publisher.close()
