"""`make dev` without a broker: with no AMQP_URL the HTTP process relays its own outbox and runs the jobs itself
(here on SQLite, as in development), off the event loop."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from medias_service.domain.processing import SIZES
from medias_service.main.settings import MediasSettings
from qhitz_shared.http.security import JwtSettings
from tests.medias_service.e2e.helpers import upload
from tests.medias_service.processing.support import eventually, image_bytes
from tests.support import databases


@pytest.fixture
def medias_settings(main_server: str, jwt_settings: JwtSettings, tmp_path: Path) -> MediasSettings:
    url = f"sqlite+aiosqlite:///{tmp_path / 'medias.db'}"
    databases.migrate("medias", url)
    env = {
        "MEDIAS_DB_URL": url,
        "MEDIAS_MAIN_URL": main_server,
        "MEDIAS_STORAGE_LOCAL_ROOT": str(tmp_path / "media"),
        "MEDIAS_STORAGE_LOCAL_FSYNC": "false",
        "MEDIAS_TRASH_PURGE_INTERVAL_SECONDS": "0",
        "MEDIAS_PROCESSING_RELAY_POLL_SECONDS": "0.05",
    }
    settings = MediasSettings.from_env(env)
    assert settings.amqp.url == ""
    return msgspec.structs.replace(settings, jwt=jwt_settings)


async def test_without_a_broker_the_http_process_processes_uploads_itself(client, make_user):
    user = await make_user()
    media = await upload(client, user, image_bytes(1200, 900), filename="dev.jpg")

    async def get() -> dict:
        return (await client.get(f"/api/v1/media/{media['id']}", headers=user.headers)).json()

    media = await eventually(get, lambda found: found["status"] in ("ready", "failed"), timeout=60)
    assert media["status"] == "ready", media
    assert {size["name"]: (size["width"], size["height"]) for size in media["sizes"]} == {
        "thumb": (160, 120),
        "small": (480, 360),
        "medium": (1024, 768),
        "large": (1200, 900),
    }
    assert len(media["sizes"]) == len(SIZES)
    served = await client.get(media["sizes"][0]["url"], headers=user.headers)
    assert served.status_code == 200 and served.headers["content-type"] == "image/webp"
