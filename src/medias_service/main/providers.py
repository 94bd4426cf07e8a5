"""dishka providers: APP-scoped infrastructure, REQUEST-scoped repositories and use cases."""

from __future__ import annotations

from datetime import timedelta

import httpx
from dishka import Provider, Scope, alias, provide
from limits import parse
from limits.aio.storage import Storage

from medias_service.adapters.inbound.http.shares import ShareSettings
from medias_service.adapters.inbound.http.tus import TusSettings
from medias_service.adapters.inbound.http.uploads import UploadSettings
from medias_service.adapters.outbound.main_service.limits import HttpOwnerLimits
from medias_service.adapters.outbound.persistence.blobs import SqlaBlobRepository
from medias_service.adapters.outbound.persistence.folders import SqlaFolderRepository
from medias_service.adapters.outbound.persistence.media import SqlaMediaRepository
from medias_service.adapters.outbound.persistence.reservations import SqlaQuotaReservations
from medias_service.adapters.outbound.persistence.resumable import SqlaResumableUploads
from medias_service.adapters.outbound.persistence.shares import SqlaShareCounters, SqlaShareRepository
from medias_service.adapters.outbound.persistence.views import SqlaMediaViews
from medias_service.adapters.outbound.sharetokens.jwt import JwtShareAccessTokens
from medias_service.adapters.outbound.storage.local import LocalMediaStorage
from medias_service.adapters.outbound.storage.local_partial import LocalPartialStorage
from medias_service.adapters.outbound.storage.s3 import S3MediaStorage, S3Settings
from medias_service.adapters.outbound.storage.s3_partial import S3PartialStorage
from medias_service.domain.content import ContentPolicy
from medias_service.main.settings import (
    DirectorySettings,
    QuotaSettings,
    StorageSettings,
    TrashSettings,
)
from medias_service.ports.directory import OwnerLimits, ServiceTokenSource
from medias_service.ports.folders import FolderRepository
from medias_service.ports.quota import QuotaReservations
from medias_service.ports.repositories import BlobRepository, MediaRepository
from medias_service.ports.resumable import PartialStorage, ResumableUploads
from medias_service.ports.shares import (
    AttemptLimiter,
    PasswordHasher,
    ShareAccessTokens,
    ShareCounters,
    ShareRepository,
)
from medias_service.ports.storage import MediaStorage
from medias_service.services.downloads import DownloadService
from medias_service.services.folders import FolderService
from medias_service.services.library import MediaLibrary
from medias_service.services.processing import ProcessingService
from medias_service.services.public_shares import PASSWORD_RULE, ShareAccess
from medias_service.services.quota import UploadQuota
from medias_service.services.resumable import ResumableRules, ResumableUploadService
from medias_service.services.resumable_append import ResumableAppend
from medias_service.services.resumable_meter import UploadHashes
from medias_service.services.shares import ShareService
from medias_service.services.trash import TrashService
from medias_service.services.uploads import UploadService
from medias_service.services.versions import VersionService
from qhitz_shared.passwords import Argon2PasswordHasher
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.providers import request_scoped
from qhitz_shared.ratelimit import LimitsRateLimiter
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
    def partial_storage(self, settings: StorageSettings, s3: S3Settings, storage: MediaStorage) -> PartialStorage:
        if settings.backend == "s3":
            return S3PartialStorage.from_settings(s3)
        assert isinstance(storage, LocalMediaStorage)
        return LocalPartialStorage(storage)

    @provide(scope=Scope.APP)
    def resumable_rules(self, settings: TusSettings) -> ResumableRules:
        ttl = timedelta(hours=settings.expire_after_hours)
        return ResumableRules(ttl=ttl, lease=timedelta(seconds=settings.lease_seconds), extend_step=ttl / 144)

    @provide(scope=Scope.APP)
    def upload_hashes(self) -> UploadHashes:
        return UploadHashes()

    @provide(scope=Scope.APP)
    def content_policy(self, settings: UploadSettings) -> ContentPolicy:
        return ContentPolicy(tuple(settings.allowed_types))

    @provide(scope=Scope.APP)
    def probes(self, storage: MediaStorage) -> Probes:
        return Probes(storage=storage.ping)

    revocation_tokens = alias(source=ServiceTokenSource, provides=ServiceTokens)

    media_views = provide(SqlaMediaViews, scope=Scope.APP)

    share_counters = provide(SqlaShareCounters, scope=Scope.APP, provides=ShareCounters)
    hasher = alias(source=Argon2PasswordHasher, provides=PasswordHasher)

    @provide(scope=Scope.APP)
    def attempt_limiter(self, storage: Storage, settings: ShareSettings) -> AttemptLimiter:
        rules = {PASSWORD_RULE: parse(settings.password_attempts)} if settings.password_attempts else {}
        return LimitsRateLimiter(storage, rules, key_prefix=settings.key_prefix)

    @provide(scope=Scope.APP)
    def share_tokens(self, settings: ShareSettings) -> ShareAccessTokens:
        return JwtShareAccessTokens(settings.access_secret, settings.access_ttl_seconds)

    @provide(scope=Scope.REQUEST)
    def upload_quota(self, reservations: QuotaReservations, uow: UnitOfWork, settings: QuotaSettings) -> UploadQuota:
        return UploadQuota(reservations, uow, timedelta(seconds=settings.reservation_ttl_seconds))

    @provide(scope=Scope.REQUEST)
    def trash(
        self,
        media: MediaRepository,
        blobs: BlobRepository,
        storage: MediaStorage,
        uow: UnitOfWork,
        folders: FolderRepository,
        settings: TrashSettings,
    ) -> TrashService:
        return TrashService(media, blobs, storage, uow, folders, timedelta(days=settings.retention_days))


def medias_use_cases() -> Provider:
    """REQUEST scope: the repositories and medias_service's use cases (TrashService and UploadQuota are built
    above)."""
    return request_scoped(
        UploadService,
        MediaLibrary,
        VersionService,
        DownloadService,
        ProcessingService,
        ResumableUploadService,
        ResumableAppend,
        FolderService,
        ShareService,
        ShareAccess,
        ports={
            MediaRepository: SqlaMediaRepository,
            BlobRepository: SqlaBlobRepository,
            ResumableUploads: SqlaResumableUploads,
            QuotaReservations: SqlaQuotaReservations,
            FolderRepository: SqlaFolderRepository,
            ShareRepository: SqlaShareRepository,
        },
    )
