"""medias_service configuration, read once from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import msgspec

from medias_service.adapters.inbound.http.tus import TusSettings
from medias_service.adapters.inbound.http.uploads import UploadSettings
from medias_service.adapters.outbound.storage.s3 import S3Settings
from medias_service.main.pipeline_settings import AmqpSettings, ProcessingSettings
from qhitz_shared.db import DatabaseSettings
from qhitz_shared.revocation.settings import RevocationSettings
from qhitz_shared.service import ServiceSettings, app_settings, common_settings
from qhitz_shared.service_tokens import ServiceClientSettings
from qhitz_shared.settings import database_password_check, from_env, refuse_weak_secret

DEFAULT_PORT = 3001


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


class MediasSettings(ServiceSettings, frozen=True):
    db: DatabaseSettings
    service: ServiceClientSettings
    directory: DirectorySettings
    storage: StorageSettings
    s3: S3Settings
    upload: UploadSettings
    tus: TusSettings
    trash: TrashSettings
    amqp: AmqpSettings
    processing: ProcessingSettings

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MediasSettings:
        app = app_settings(environ)
        storage = from_env(StorageSettings, "MEDIAS_STORAGE_", environ)
        if not storage.local_root:
            storage = msgspec.structs.replace(storage, local_root=str(Path(app.data_dir) / "media"))
        settings = cls(
            **common_settings(
                app,
                environ,
                http_prefix="MEDIAS_HTTP_",
                port=DEFAULT_PORT,
                db_prefix="MEDIAS_DB_",
                sqlite_file="medias.db",
            ),
            service=from_env(ServiceClientSettings, "SERVICE_", environ, client_id="medias_service"),
            directory=(directory := from_env(DirectorySettings, "MEDIAS_MAIN_", environ)),
            storage=storage,
            s3=from_env(S3Settings, "MEDIAS_S3_", environ),
            upload=from_env(UploadSettings, "MEDIAS_UPLOAD_", environ),
            tus=from_env(TusSettings, "MEDIAS_TUS_", environ),
            trash=from_env(TrashSettings, "MEDIAS_TRASH_", environ),
            amqp=from_env(AmqpSettings, "AMQP_", environ),
            processing=from_env(ProcessingSettings, "MEDIAS_PROCESSING_", environ),
            revocation=RevocationSettings.from_env(environ, main_url=directory.url),
        )
        settings.processing.check()
        if storage.backend not in ("local", "s3"):
            raise SystemExit("MEDIAS_STORAGE_BACKEND is local or s3")
        if storage.backend == "s3" and not settings.s3.bucket:
            raise SystemExit("MEDIAS_S3_BUCKET is required with MEDIAS_STORAGE_BACKEND=s3")
        database_password_check(app, "AMQP_URL", settings.amqp.url)
        refuse_weak_secret(app, "SERVICE_CLIENT_SECRET", settings.service.client_secret)
        if storage.backend == "s3" and settings.s3.secret_access_key is not None:
            refuse_weak_secret(app, "MEDIAS_S3_SECRET_ACCESS_KEY", settings.s3.secret_access_key, min_length=16)
        return settings
