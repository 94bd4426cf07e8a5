"""The media outbox's way to RabbitMQ: the shared publisher, aimed at ``P.events`` of the processing topology."""

from __future__ import annotations

from faststream.rabbit import RabbitBroker

from medias_service.adapters.outbound.rabbit.topology import Topology, declare
from medias_service.domain.events import PROCESSING_EVENTS
from qhitz_shared.outbox.rabbit import RabbitEventPublisher


def media_event_publisher(
    url: str, topology: Topology, *, connect_timeout: float = 10.0, publish_timeout: float = 15.0
) -> RabbitEventPublisher:
    """Processing requests are mandatory (the processing queue must take them); the rest go to whoever bound."""

    async def declare_topology(broker: RabbitBroker) -> None:
        await declare(broker, topology)

    return RabbitEventPublisher(
        url,
        declare_topology,
        exchange=topology.events,
        mandatory=PROCESSING_EVENTS,
        app_id="medias_service",
        connect_timeout=connect_timeout,
        publish_timeout=publish_timeout,
    )
