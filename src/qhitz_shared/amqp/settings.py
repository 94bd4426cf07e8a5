"""Settings of a service's RabbitMQ work queue."""

from __future__ import annotations

from typing import ClassVar

import msgspec
from dishka import AsyncContainer

from qhitz_shared.outbox.relay import RelayRunner


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


class WorkSettings(msgspec.Struct, frozen=True):
    """What every service with a work queue sets for its jobs (a subclass per service, under its own prefix):
    ``concurrency`` jobs at once per process, a local tool killed after ``tool_timeout_seconds``, work files under
    ``work_dir`` (default: the system's temp folder); the outbox relay runs in the worker, and in the HTTP process
    too with ``relay_in_http`` (always without a broker), polling every ``relay_poll_seconds`` for batches of
    ``relay_batch``; sent outbox rows are deleted after ``outbox_retention_hours``."""

    concurrency: int = 2
    tool_timeout_seconds: float = 300.0
    work_dir: str = ""
    relay_in_http: bool = False
    relay_poll_seconds: float = 0.5
    relay_batch: int = 100
    outbox_retention_hours: float = 24.0

    def relay_runner(self, container: AsyncContainer) -> RelayRunner:
        """The outbox relay loop with these settings."""
        return RelayRunner(
            container,
            batch=self.relay_batch,
            poll_seconds=self.relay_poll_seconds,
            retention_hours=self.outbox_retention_hours,
        )
