"""Composition root: medias_service is its controllers, its providers and its background tasks."""

from __future__ import annotations

from dishka import AsyncContainer

from medias_service.adapters.inbound.http.content import ContentController
from medias_service.adapters.inbound.http.internal import OnBehalfUploadController
from medias_service.adapters.inbound.http.library import LibraryController, TagsController
from medias_service.adapters.inbound.http.multipart import RequestTooLarge
from medias_service.adapters.inbound.http.processing import ProcessingController
from medias_service.adapters.inbound.http.trash import TrashController
from medias_service.adapters.inbound.http.uploads import UploadController
from medias_service.adapters.inbound.http.versions import VersionsController
from medias_service.domain.errors import MalformedUpload, UnsupportedMediaType
from medias_service.main.processing import HttpProcessing, ProcessingProvider
from medias_service.main.providers import MediasProvider, medias_use_cases
from medias_service.main.purger import TrashPurger
from medias_service.main.settings import MediasSettings
from medias_service.main.sweeper import LeftoverSweeper
from qhitz_shared.revocation.wiring import RevocationSubscriberProvider
from qhitz_shared.service import Background, ServiceSpec

CONTROLLERS = [
    UploadController,
    LibraryController,
    TrashController,
    VersionsController,
    ContentController,
    TagsController,
    ProcessingController,
    OnBehalfUploadController,
]


def background(container: AsyncContainer, settings: MediasSettings) -> list[Background]:
    """The trash purge, in-process media jobs (no broker) and the sweep of leftovers of killed writes."""
    jobs_here = settings.processing.enabled and not settings.amqp.url
    return [
        TrashPurger(container, settings.trash.purge_interval_seconds),
        HttpProcessing(container, settings.amqp, settings.processing),
        LeftoverSweeper(container, settings.storage, settings.processing, jobs=jobs_here),
    ]


SERVICE = ServiceSpec(
    MediasSettings,
    CONTROLLERS,
    lambda _: [MediasProvider(), medias_use_cases(), ProcessingProvider(), RevocationSubscriberProvider()],
    description="The media library: upload, versions, tags, trash, download and range streaming.",
    error_statuses={UnsupportedMediaType: 415, MalformedUpload: 400, RequestTooLarge: 413},
    background=background,
)
make_container = SERVICE.make_container
create_http_app = SERVICE.create_http_app
