"""The job worker: ``python -m studio_service.main.worker``.

Consumes studio.jobs (quorum queue, delivery limit, dead letters parked in studio.parking) and runs the outbox relay
and the deadline sweep, on the same dishka container as the HTTP app. SIGTERM: messages not started go back to the
queue, running jobs get STUDIO_AMQP_GRACEFUL_TIMEOUT_SECONDS to finish; a job still running then stays running
until its deadline fails it and releases its hold (the message delivered again finds it claimed).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from dishka import Provider
from dishka_faststream import FastStreamProvider
from faststream import FastStream

from qhitz_shared.amqp.worker import assemble_worker, worker_broker
from qhitz_shared.http.observability import configure_logging
from studio_service.adapters.inbound.amqp.jobs import JobConsumer
from studio_service.domain.jobs import WORK_EVENTS
from studio_service.main.app import make_container
from studio_service.main.background import DeadlineSweeper
from studio_service.main.providers import topology_of
from studio_service.main.settings import StudioSettings


def create_worker_app(settings: StudioSettings | None = None, overrides: Sequence[Provider] = ()) -> FastStream:
    settings = settings or StudioSettings.from_env()
    if not settings.amqp.url:
        raise SystemExit("the studio worker needs AMQP_URL (without a broker, studio_service runs jobs itself)")
    configure_logging("studio_worker", level=settings.app.log_level, json=settings.app.log_json)
    topology = topology_of(settings.amqp)
    broker = worker_broker(settings.amqp, "studio_worker", "studio_service.worker")
    consumer = JobConsumer(broker, topology, settings.jobs.concurrency)
    consumer.subscribe(prefetch=max(settings.amqp.prefetch, settings.jobs.concurrency))
    container = make_container(settings, FastStreamProvider(), *overrides)
    tasks = [settings.jobs.relay_runner(container), DeadlineSweeper(container, settings.jobs.sweep_interval_seconds)]
    return assemble_worker(
        broker, container, topology, WORK_EVENTS, consumer, tasks, logger_name="studio_service.worker"
    )


def main() -> None:
    asyncio.run(create_worker_app().run())


if __name__ == "__main__":
    main()
