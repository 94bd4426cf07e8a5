"""medias_service configuration, read once from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from medias_service.adapters.inbound.http.shares import ShareSettings
from medias_service.adapters.inbound.http.tus import TusSettings
from medias_service.adapters.inbound.http.uploads import UploadSettings
from medias_service.adapters.outbound.storage.s3 import S3Settings
from medias_service.main.pipeline_settings import AmqpSettings, ProcessingSettings
from qhitz_shared.db import DatabaseSettings
from qhitz_shared.passwords import Argon2Settings
from qhitz_shared.ratelimit import RedisSettings
from qhitz_shared.service import ServiceSettings
from qhitz_shared.service_tokens import ServiceClientSettings
from qhitz_shared.settings import database_password_check, refuse_weak_secret


class DirectorySettings(msgspec.Struct, frozen=True):
    """MEDIAS_MAIN_*: main_service's internal API, asked for owners' limits (cached for limits_cache_seconds)."""

    url: str = "http://127.0.0.1:3000"
    limits_cache_seconds: float = 30.0


class StorageSettings(msgspec.Struct, frozen=True):
    """MEDIAS_STORAGE_*: ``local`` (files under local_root, default <APP_DATA_DIR>/media) or ``s3`` (MEDIAS_S3_*).
    At start and every sweep_interval_seconds (0: at start only), the temp files of writes that a killed process
    left behind are removed once untouched for stale_upload_seconds (a running write touches its file all along),
    and so are the job folders of dead worker processes (MEDIAS_PROCESSING_STALE_JOB_SECONDS)."""

    backend: str = "local"
    local_root: str = ""
    local_fsync: bool = True
    sweep_interval_seconds: float = 300.0
    stale_upload_seconds: float = 900.0


class TrashSettings(msgspec.Struct, frozen=True):
    """MEDIAS_TRASH_*: how long trashed media can be restored, and how often the service purges expired ones
    (0 turns the periodic purge off; `python -m medias_service.main.cli purge-trash` does the same once)."""

    retention_days: float = 30.0
    purge_interval_seconds: float = 3600.0


class QuotaSettings(msgspec.Struct, frozen=True):
    """MEDIAS_QUOTA_*: how long an upload's quota reservation holds before the leftover sweeper drops it (an
    upload still streaming then is metered against what remains when it ends)."""

    reservation_ttl_seconds: float = 6 * 3600.0


class MediasSettings(ServiceSettings, frozen=True):
    """MEDIAS_*, SERVICE_* (its service client), AMQP_* and the shared concerns."""

    db: DatabaseSettings
    service: ServiceClientSettings
    directory: DirectorySettings
    storage: StorageSettings
    s3: S3Settings
    upload: UploadSettings
    tus: TusSettings
    trash: TrashSettings
    quota: QuotaSettings
    share: ShareSettings
    redis: RedisSettings
    argon2: Argon2Settings
    amqp: AmqpSettings
    processing: ProcessingSettings

    env_prefix = "MEDIAS_"
    default_port = 3001
    concerns = {"directory": "MEDIAS_MAIN_"}

    @classmethod
    def revocation_defaults(cls, fields: Mapping[str, Any]) -> dict[str, object]:
        return {"main_url": fields["directory"].url}

    def checked(self) -> MediasSettings:
        app, storage = self.app, self.storage
        if not storage.local_root:
            storage = msgspec.structs.replace(storage, local_root=str(Path(app.data_dir) / "media"))
        self.processing.check()
        if storage.backend not in ("local", "s3"):
            raise SystemExit("MEDIAS_STORAGE_BACKEND is local or s3")
        if storage.backend == "s3" and not self.s3.bucket:
            raise SystemExit("MEDIAS_S3_BUCKET is required with MEDIAS_STORAGE_BACKEND=s3")
        database_password_check(app, "AMQP_URL", self.amqp.url)
        refuse_weak_secret(app, "MEDIAS_SHARE_ACCESS_SECRET", self.share.access_secret, min_length=32)
        if storage.backend == "s3" and self.s3.secret_access_key is not None:
            refuse_weak_secret(app, "MEDIAS_S3_SECRET_ACCESS_KEY", self.s3.secret_access_key, min_length=16)
        return msgspec.structs.replace(self, storage=storage)
