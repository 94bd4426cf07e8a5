"""Composition root: medias_service is its controllers, its providers and its background tasks."""

from __future__ import annotations

from dishka import AsyncContainer

from medias_service.adapters.inbound.http.content import ContentController
from medias_service.adapters.inbound.http.folders import FolderController
from medias_service.adapters.inbound.http.internal import OnBehalfUploadController
from medias_service.adapters.inbound.http.library import LibraryController, TagsController
from medias_service.adapters.inbound.http.multipart import RequestTooLarge
from medias_service.adapters.inbound.http.processing import ProcessingController
from medias_service.adapters.inbound.http.public_shares import PublicShareController
from medias_service.adapters.inbound.http.shares import ShareController
from medias_service.adapters.inbound.http.trash import TrashController
from medias_service.adapters.inbound.http.tus import EXPOSED_HEADERS as TUS_EXPOSED_HEADERS
from medias_service.adapters.inbound.http.tus import TusController
from medias_service.adapters.inbound.http.tus_headers import UploadTooLarge
from medias_service.adapters.inbound.http.uploads import UploadController
from medias_service.adapters.inbound.http.versions import VersionsController
from medias_service.domain.errors import (
    ChecksumMismatch,
    MalformedUpload,
    TusProtocolError,
    TusVersionUnsupported,
    UnsupportedMediaType,
)
from medias_service.main.processing import HttpProcessing, ProcessingProvider
from medias_service.main.providers import MediasProvider, medias_use_cases
from medias_service.main.purger import trash_purger
from medias_service.main.settings import MediasSettings
from medias_service.main.sweeper import LeftoverSweeper
from medias_service.main.tus_expiry import expired_uploads_sweeper
from qhitz_shared.providers import PasswordProvider, RateStorageProvider
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
    TusController,
    FolderController,
    ShareController,
    PublicShareController,
    OnBehalfUploadController,
]

ERROR_STATUSES = {
    UnsupportedMediaType: 415,
    MalformedUpload: 400,
    RequestTooLarge: 413,
    UploadTooLarge: 413,
    TusProtocolError: 400,
    TusVersionUnsupported: 412,
    ChecksumMismatch: 460,
}


def background(container: AsyncContainer, settings: MediasSettings) -> list[Background]:
    """The trash purge, in-process media jobs (no broker), the sweep of leftovers of killed writes and of
    expired resumable uploads."""
    jobs_here = settings.processing.enabled and not settings.amqp.url
    return [
        trash_purger(container, settings.trash.purge_interval_seconds),
        HttpProcessing(container, settings.amqp, settings.processing),
        LeftoverSweeper(container, settings.storage, settings.processing, jobs=jobs_here),
        expired_uploads_sweeper(container, settings.tus.cleanup_interval_seconds),
    ]


SERVICE = ServiceSpec(
    MediasSettings,
    CONTROLLERS,
    lambda _: [
        MediasProvider(),
        medias_use_cases(),
        ProcessingProvider(),
        RevocationSubscriberProvider(),
        PasswordProvider(),
        RateStorageProvider(),
    ],
    description="The media library: upload, versions, tags, trash, download and range streaming.",
    error_statuses=ERROR_STATUSES,
    background=background,
    cors_expose_headers=TUS_EXPOSED_HEADERS,  # a browser tus client (tus-js-client, Uppy) reads them
)
make_container = SERVICE.make_container
create_http_app = SERVICE.create_http_app
