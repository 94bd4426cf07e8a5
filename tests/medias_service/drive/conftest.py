"""The drive's tests run on PostgreSQL and on the embedded SQLite default (`make dev`): ``medias_settings`` is
parametrized over both, each database migrated with the real Alembic environment."""

from __future__ import annotations

import pytest

from medias_service.main.settings import MediasSettings
from qhitz_shared.http.security import JwtSettings
from tests.medias_service.conftest import settings_on


@pytest.fixture
def medias_settings(
    database: str, main_server: str, jwt_settings: JwtSettings, storage_env: dict[str, str]
) -> MediasSettings:
    # password guesses counted in the real Redis beside PostgreSQL, in memory beside SQLite (`make dev`)
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/0"} if database.startswith("postgresql") else {}
    return settings_on(
        database, main_server, jwt_settings, storage_env,
        MEDIAS_PROCESSING_ENABLED="false", MEDIAS_SHARE_PASSWORD_ATTEMPTS="3/minute", ARGON2_MEMORY_KIB="1024", **redis,
    )  # fmt: skip
