"""dishka providers: APP-scoped infrastructure, REQUEST-scoped repositories and use cases."""

from __future__ import annotations

from datetime import timedelta

import httpx
from dishka import Provider, Scope, alias, provide

from medias_service.adapters.inbound.http.uploads import UploadSettings
from medias_service.adapters.outbound.main_service.limits import HttpOwnerLimits
from medias_service.adapters.outbound.persistence.blobs import SqlaBlobRepository
from medias_service.adapters.outbound.persistence.media import SqlaMediaRepository
from medias_service.adapters.outbound.persistence.views import SqlaMediaViews
from medias_service.adapters.outbound.storage.local import LocalMediaStorage
from medias_service.adapters.outbound.storage.s3 import S3MediaStorage, S3Settings
from medias_service.domain.content import ContentPolicy
from medias_service.main.settings import DirectorySettings, StorageSettings, TrashSettings
from medias_service.ports.directory import OwnerLimits, ServiceTokenSource
from medias_service.ports.repositories import BlobRepository, MediaRepository
from medias_service.ports.storage import MediaStorage
from medias_service.services.downloads import DownloadService
from medias_service.services.library import MediaLibrary
from medias_service.services.processing import ProcessingService
from medias_service.services.trash import TrashService
from medias_service.services.uploads import UploadService
from medias_service.services.versions import VersionService
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.providers import request_scoped
from qhitz_shared.revocation.transports import ServiceTokens
from qhitz_shared.service import Probes
from qhitz_shared.service_tokens import ServiceClientSettings, ServiceTokenClient


class MediasProvider(Provider):
    @provide(scope=Scope.APP)
    def service_tokens(self, settings: ServiceClientSettings, client: httpx.AsyncClient) -> ServiceTokenSource:
        return ServiceTokenClient(settings, client)

    @provide(scope=Scope.APP)
    def owner_limits(
        self, settings: DirectorySettings, client: httpx.AsyncClient, tokens: ServiceTokenSource
    ) -> OwnerLimits:
        return HttpOwnerLimits(settings.url, client, tokens, cache_seconds=settings.limits_cache_seconds)

    @provide(scope=Scope.APP)
    def storage(self, settings: StorageSettings, s3: S3Settings) -> MediaStorage:
        if settings.backend == "s3":
            return S3MediaStorage.from_settings(s3)
        return LocalMediaStorage(settings.local_root, fsync=settings.local_fsync)

    @provide(scope=Scope.APP)
    def content_policy(self, settings: UploadSettings) -> ContentPolicy:
        return ContentPolicy(tuple(settings.allowed_types))

    @provide(scope=Scope.APP)
    def probes(self, storage: MediaStorage) -> Probes:
        return Probes(storage=storage.ping)

    revocation_tokens = alias(source=ServiceTokenSource, provides=ServiceTokens)

    media_views = provide(SqlaMediaViews, scope=Scope.APP)

    @provide(scope=Scope.REQUEST)
    def trash(
        self,
        media: MediaRepository,
        blobs: BlobRepository,
        storage: MediaStorage,
        uow: UnitOfWork,
        settings: TrashSettings,
    ) -> TrashService:
        return TrashService(media, blobs, storage, uow, timedelta(days=settings.retention_days))


def medias_use_cases() -> Provider:
    """REQUEST scope: the repositories and medias_service's use cases (TrashService is built above)."""
    return request_scoped(
        UploadService,
        MediaLibrary,
        VersionService,
        DownloadService,
        ProcessingService,
        ports={MediaRepository: SqlaMediaRepository, BlobRepository: SqlaBlobRepository},
    )
