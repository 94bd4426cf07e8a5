"""Settings of a service's RabbitMQ work queue."""

from __future__ import annotations

from typing import ClassVar

import msgspec


class AmqpSettings(msgspec.Struct, frozen=True):
    """AMQP_* (medias), STUDIO_AMQP_* (studio; its url defaults to AMQP_URL): a work queue on RabbitMQ (no url:
    the HTTP process runs the jobs itself, as in make dev).

    prefix names every exchange and queue (each service its own); prefetch bounds the unacknowledged messages a
    worker holds; graceful_timeout_seconds is how long SIGTERM waits for running jobs before returning them to
    the queue."""

    env_prefix: ClassVar[str] = "AMQP_"

    url: str = ""
    prefix: str = "medias"
    prefetch: int = 4
    connect_timeout_seconds: float = 10.0
    publish_timeout_seconds: float = 15.0
    graceful_timeout_seconds: float = 60.0
