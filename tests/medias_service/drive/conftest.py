"""The drive's tests run on PostgreSQL and on the embedded SQLite default (`make dev`): ``medias_settings`` is
parametrized over both, each database migrated with the real Alembic environment."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from medias_service.main.settings import MediasSettings
from qhitz_shared.http.security import JwtSettings
from tests.support import databases


@pytest.fixture(params=["postgresql", "sqlite"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("medias_db_url")
    url = f"sqlite+aiosqlite:///{tmp_path / 'medias.db'}"
    databases.migrate("medias", url)
    return url


@pytest.fixture
def medias_settings(
    database: str, main_server: str, jwt_settings: JwtSettings, storage_env: dict[str, str]
) -> MediasSettings:
    settings = MediasSettings.from_env(
        {
            "MEDIAS_DB_URL": database,
            "MEDIAS_MAIN_URL": main_server,
            "MEDIAS_TRASH_PURGE_INTERVAL_SECONDS": "0",
            "MEDIAS_PROCESSING_ENABLED": "false",
            "MEDIAS_SHARE_PASSWORD_ATTEMPTS": "3/minute",
            "ARGON2_MEMORY_KIB": "1024",
            # password guesses counted in the real Redis beside PostgreSQL, in memory beside SQLite (`make dev`)
            **({"REDIS_URL": "redis://127.0.0.1:6379/0"} if database.startswith("postgresql") else {}),
            **storage_env,
        }
    )
    return msgspec.structs.replace(settings, jwt=jwt_settings)
