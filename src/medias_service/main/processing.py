"""Composition of asynchronous processing: its dishka provider, and the outbox relay's loop."""

from __future__ import annotations

from collections.abc import AsyncIterator

import imageio_ffmpeg
import structlog
from dishka import AsyncContainer, Provider, Scope, from_context, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession

from medias_service.adapters.inbound.inprocess import InProcessProcessing
from medias_service.adapters.outbound.persistence.outbox import SqlaOutboxStore
from medias_service.adapters.outbound.persistence.processing import SqlaProcessingJournal
from medias_service.adapters.outbound.processing.ffmpeg import Ffmpeg
from medias_service.adapters.outbound.processing.images import configure_vips
from medias_service.adapters.outbound.processing.logged import LoggedProcessingRequests
from medias_service.adapters.outbound.processing.toolkit import LocalMediaProcessor
from medias_service.domain.events import PROCESSING_EVENTS
from medias_service.main.pipeline_settings import AmqpSettings, ProcessingSettings
from medias_service.ports.pipeline import MediaProcessor, ProcessingJournal
from medias_service.ports.processing import ProcessingRequests
from medias_service.services.pipeline import VersionPipeline
from medias_service.services.reprocessing import ReprocessService
from qhitz_shared.amqp.publisher import work_publisher
from qhitz_shared.amqp.topology import Topology
from qhitz_shared.outbox.events import EventPublisher, OutboxStore
from qhitz_shared.outbox.relay import OutboxRelay

log = structlog.get_logger(__name__)


def topology_of(amqp: AmqpSettings, processing: ProcessingSettings) -> Topology:
    return Topology(amqp.prefix, tuple(processing.retry.delays()))


class ProcessingProvider(Provider):
    amqp_settings = from_context(AmqpSettings, scope=Scope.APP)
    processing_settings = from_context(ProcessingSettings, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def topology(self, amqp: AmqpSettings, processing: ProcessingSettings) -> Topology:
        return topology_of(amqp, processing)

    @provide(scope=Scope.APP)
    def processor(self, settings: ProcessingSettings) -> MediaProcessor:
        configure_vips(settings.vips_threads)
        return LocalMediaProcessor(
            ffmpeg=Ffmpeg(imageio_ffmpeg.get_ffmpeg_exe(), settings.tool_timeout_seconds),
            pixel_limit=settings.pixel_limit,
            quality=settings.webp_quality,
            work_dir=settings.work_dir or None,
        )

    @provide(scope=Scope.APP)
    async def publisher(
        self, amqp: AmqpSettings, settings: ProcessingSettings, topology: Topology, container: AsyncContainer
    ) -> AsyncIterator[EventPublisher]:
        """RabbitMQ when AMQP_URL is set; otherwise the jobs run in this process."""
        in_process = lambda: InProcessProcessing(container, settings.retry, settings.concurrency)  # noqa: E731
        async with work_publisher(amqp, topology, PROCESSING_EVENTS, "medias_service", in_process) as publisher:
            yield publisher

    @provide(scope=Scope.REQUEST)
    def requests(self, settings: ProcessingSettings, session: AsyncSession) -> ProcessingRequests:
        return SqlaProcessingJournal(session) if settings.enabled else LoggedProcessingRequests()

    journal = provide(SqlaProcessingJournal, scope=Scope.REQUEST, provides=ProcessingJournal)
    outbox = provide(SqlaOutboxStore, scope=Scope.REQUEST, provides=OutboxStore)
    use_cases = provide_all(VersionPipeline, OutboxRelay, ReprocessService, scope=Scope.REQUEST)


class HttpProcessing:
    """What the HTTP process runs of the pipeline: the relay when there is no broker (the jobs then run here too,
    through the in-process publisher) or when MEDIAS_PROCESSING_RELAY_IN_HTTP is set."""

    def __init__(self, container: AsyncContainer, amqp: AmqpSettings, settings: ProcessingSettings) -> None:
        wanted = settings.enabled and (settings.relay_in_http or not amqp.url)
        self._relay = settings.relay_runner(container) if wanted else None

    async def start(self) -> None:
        if self._relay is not None:
            await self._relay.start()

    async def stop(self) -> None:
        if self._relay is not None:
            await self._relay.stop()
