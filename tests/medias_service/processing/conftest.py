"""Processing tests: their own mediasdb and media folder, a RabbitMQ prefix unique to this run (everything
declared under it is deleted afterwards), and the worker as a real process sharing that configuration."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import msgspec
import pytest

from medias_service.main.processing import topology_of
from medias_service.main.settings import MediasSettings
from qhitz_shared.http.security import JwtSettings
from tests.medias_service.processing.support import AMQP_URL, BrokerProbe, worker_process
from tests.support import databases

# Short waits between attempts keep the retry tests fast; five attempts as by default.
RETRY_BASE_SECONDS = "0.1"


@pytest.fixture(scope="package")
def processing_db_url() -> Iterator[str]:
    name = databases.create_database("medias_processing")
    try:
        url = databases.async_url(name)
        databases.migrate("medias", url)
        yield url
    finally:
        databases.drop_database(name)


@pytest.fixture(scope="package")
def processing_env(
    processing_db_url: str, main_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """What the HTTP app and the worker share."""
    env = {
        "MEDIAS_DB_URL": processing_db_url,
        "MEDIAS_MAIN_URL": main_server,
        "MEDIAS_STORAGE_LOCAL_ROOT": str(tmp_path_factory.mktemp("processing-media")),
        "MEDIAS_STORAGE_LOCAL_FSYNC": "false",
        "MEDIAS_TRASH_PURGE_INTERVAL_SECONDS": "0",
        "AMQP_URL": AMQP_URL,
        "AMQP_PREFIX": f"qhitz-test-{uuid.uuid4().hex[:10]}",
        "AMQP_PUBLISH_TIMEOUT_SECONDS": "3",
        "AMQP_CONNECT_TIMEOUT_SECONDS": "3",
        "AMQP_GRACEFUL_TIMEOUT_SECONDS": "20",
        "MEDIAS_PROCESSING_RETRY_BASE_SECONDS": RETRY_BASE_SECONDS,
        "MEDIAS_PROCESSING_RELAY_POLL_SECONDS": "0.05",
        "APP_LOG_JSON": "false",
    }
    yield env
    asyncio.run(probe_of(env).delete_all())


def probe_of(env: dict[str, str]) -> BrokerProbe:
    settings = MediasSettings.from_env(env)
    return BrokerProbe(topology_of(settings.amqp, settings.processing))


@pytest.fixture(scope="package")
def broker(processing_env: dict[str, str]) -> BrokerProbe:
    return probe_of(processing_env)


@pytest.fixture
def medias_settings(processing_env: dict[str, str], jwt_settings: JwtSettings) -> MediasSettings:
    """The HTTP app of these tests: a broker is configured but no relay runs in it (the worker's does)."""
    return msgspec.structs.replace(MediasSettings.from_env(processing_env), jwt=jwt_settings)


@pytest.fixture(scope="module")
def worker_env(processing_env: dict[str, str]) -> dict[str, str]:
    return dict(processing_env)


@pytest.fixture(scope="module")
def worker(worker_env: dict[str, str], broker: BrokerProbe, tmp_path_factory: pytest.TempPathFactory):
    """One worker process for the module."""
    with worker_process(worker_env, tmp_path_factory.mktemp("worker") / "worker.log") as running:
        asyncio.run(running.consuming(broker))
        yield running


class Rows:
    """Straight from mediasdb."""

    def __init__(self, url: str) -> None:
        self._dsn = url.replace("postgresql+asyncpg://", "postgresql://")

    async def fetch(self, query: str, *args: object) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(self._dsn)
        try:
            return await connection.fetch(query, *args)
        finally:
            await connection.close()

    async def version(self, media_id: str | uuid.UUID) -> asyncpg.Record:
        rows = await self.fetch(
            "SELECT v.* FROM media_version v JOIN media m ON m.id = v.media_id AND m.current_version = v.number "
            "WHERE m.id = $1",
            uuid.UUID(str(media_id)),
        )
        return rows[0]

    async def sizes(self, media_id: str | uuid.UUID) -> list[asyncpg.Record]:
        return await self.fetch(
            "SELECT s.* FROM media_size s JOIN media_version v ON v.id = s.version_id "
            "JOIN media m ON m.id = v.media_id AND m.current_version = v.number WHERE m.id = $1 ORDER BY s.name",
            uuid.UUID(str(media_id)),
        )

    async def statuses(self, media_ids: list[str]) -> dict[str, str]:
        rows = await self.fetch(
            "SELECT id, status FROM media WHERE id = ANY($1::uuid[])", [uuid.UUID(i) for i in media_ids]
        )
        return {str(row["id"]): row["status"] for row in rows}


@pytest.fixture(scope="package")
def rows(processing_db_url: str) -> Rows:
    return Rows(processing_db_url)


@pytest.fixture
def storage_root(processing_env: dict[str, str]) -> Path:
    return Path(processing_env["MEDIAS_STORAGE_LOCAL_ROOT"])
