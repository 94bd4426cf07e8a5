"""The media worker: ``python -m medias_service.main.worker``, or
``faststream run --factory medias_service.main.worker:create_worker_app``.

Consumes the processing queue and runs the outbox relay, on the same dishka container setup as the HTTP app.
SIGTERM: jobs not started go back to the queue, running ones get AMQP_GRACEFUL_TIMEOUT_SECONDS to finish, and
whatever is still unacknowledged then is delivered again by the broker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from dishka import Provider
from dishka_faststream import FastStreamProvider
from faststream import FastStream

from medias_service.adapters.inbound.amqp.processing import ProcessingConsumer
from medias_service.adapters.outbound.processing.images import configure_vips, limit_malloc_arenas
from medias_service.domain.events import PROCESSING_EVENTS
from medias_service.main.app import make_container
from medias_service.main.processing import topology_of
from medias_service.main.settings import MediasSettings
from medias_service.main.sweeper import LeftoverSweeper
from qhitz_shared.amqp.worker import assemble_worker, worker_broker
from qhitz_shared.http.observability import configure_logging


def create_worker_app(settings: MediasSettings | None = None, overrides: Sequence[Provider] = ()) -> FastStream:
    limit_malloc_arenas()
    settings = settings or MediasSettings.from_env()
    if not settings.amqp.url:
        raise SystemExit("the media worker needs AMQP_URL (without a broker, medias_service processes media itself)")
    configure_logging("medias_worker", level=settings.app.log_level, json=settings.app.log_json)
    configure_vips(settings.processing.vips_threads)
    topology = topology_of(settings.amqp, settings.processing)
    broker = worker_broker(settings.amqp, "medias_worker", "medias_service.worker")
    consumer = ProcessingConsumer(broker, topology, settings.processing.retry, settings.processing.concurrency)
    consumer.subscribe(prefetch=max(settings.amqp.prefetch, 1))
    container = make_container(settings, FastStreamProvider(), *overrides)
    tasks = [
        settings.processing.relay_runner(container),
        LeftoverSweeper(container, settings.storage, settings.processing, jobs=True),
    ]
    return assemble_worker(
        broker, container, topology, PROCESSING_EVENTS, consumer, tasks, logger_name="medias_service.worker"
    )


def main() -> None:
    asyncio.run(create_worker_app().run())


if __name__ == "__main__":
    main()
