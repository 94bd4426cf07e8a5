"""Composition root: create_http_app() builds medias_service from settings (and test overrides)."""

from __future__ import annotations

from collections.abc import Sequence

from dishka import AsyncContainer, Provider, make_async_container
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar

from medias_service.adapters.inbound.http.content import ContentController
from medias_service.adapters.inbound.http.library import LibraryController, TagsController
from medias_service.adapters.inbound.http.multipart import RequestTooLarge
from medias_service.adapters.inbound.http.processing import ProcessingController
from medias_service.adapters.inbound.http.trash import TrashController
from medias_service.adapters.inbound.http.uploads import UploadController, UploadSettings
from medias_service.adapters.inbound.http.versions import VersionsController
from medias_service.adapters.outbound.storage.s3 import S3Settings
from medias_service.domain.errors import MalformedUpload, UnsupportedMediaType
from medias_service.main.pipeline_settings import AmqpSettings, ProcessingSettings
from medias_service.main.processing import HttpProcessing, ProcessingProvider
from medias_service.main.providers import MediasProvider
from medias_service.main.purger import TrashPurger
from medias_service.main.settings import DirectorySettings, MediasSettings, StorageSettings, TrashSettings
from medias_service.main.sweeper import LeftoverSweeper
from qhitz_shared.db import DatabaseProvider, DatabaseSettings
from qhitz_shared.http.app import build_http_app
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.providers import JwksVerificationProvider
from qhitz_shared.revocation.settings import RevocationSettings
from qhitz_shared.revocation.wiring import DenyListCheck, RevocationSubscriberProvider, start_revocation_feed
from qhitz_shared.service_tokens import ServiceClientSettings
from qhitz_shared.settings import AppSettings, HttpSettings

CONTROLLERS = [
    UploadController,
    LibraryController,
    TrashController,
    VersionsController,
    ContentController,
    TagsController,
    ProcessingController,
]

ERROR_STATUSES = {UnsupportedMediaType: 415, MalformedUpload: 400, RequestTooLarge: 413}


def make_container(settings: MediasSettings, *overrides: Provider) -> AsyncContainer:
    return make_async_container(
        DatabaseProvider(),
        JwksVerificationProvider(),
        MediasProvider(),
        ProcessingProvider(),
        RevocationSubscriberProvider(),
        LitestarProvider(),
        *overrides,
        context={
            AppSettings: settings.app,
            HttpSettings: settings.http,
            DatabaseSettings: settings.db,
            JwtSettings: settings.jwt,
            ServiceClientSettings: settings.service,
            DirectorySettings: settings.directory,
            StorageSettings: settings.storage,
            S3Settings: settings.s3,
            UploadSettings: settings.upload,
            TrashSettings: settings.trash,
            AmqpSettings: settings.amqp,
            ProcessingSettings: settings.processing,
            RevocationSettings: settings.revocation,
        },
    )


def create_http_app(settings: MediasSettings | None = None, overrides: Sequence[Provider] = ()) -> Litestar:
    settings = settings or MediasSettings.from_env()
    container = make_container(settings, *overrides)
    purger = TrashPurger(container, settings.trash.purge_interval_seconds)
    processing = HttpProcessing(container, settings.amqp, settings.processing)
    jobs_here = settings.processing.enabled and not settings.amqp.url
    sweeper = LeftoverSweeper(container, settings.storage, settings.processing, jobs=jobs_here)
    return build_http_app(
        service="medias_service",
        title="Qhitz medias_service",
        description="The media library: upload, versions, tags, trash, download and range streaming.",
        container=container,
        route_handlers=CONTROLLERS,
        http=settings.http,
        jwt=settings.jwt,
        error_statuses=ERROR_STATUSES,
        principal_check=DenyListCheck,
        on_startup=[start_revocation_feed(container), purger.start, processing.start, sweeper.start],
        on_shutdown=[sweeper.stop, processing.stop, purger.stop],
    )
