"""A PATCH's database work, on PostgreSQL and on SQLite (``make dev``): two statements, each committed on its own
(the lease taken with the read, then the new state recorded with the lease's end); a PATCH whose lease ran out
and went to another request records nothing; a whole upload through those statements ends in its media."""

from __future__ import annotations

import asyncio
import hashlib
import uuid

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from medias_service.adapters.outbound.persistence.models import resumable_upload
from medias_service.main.settings import MediasSettings
from qhitz_shared.http.security import JwtSettings
from tests.medias_service.conftest import settings_on
from tests.medias_service.support import png_bytes
from tests.medias_service.tus.test_tus_protocol import create, offset_of, patch
from tests.support.statements import recorded_statements


@pytest.fixture
def medias_settings(
    database: str, main_server: str, jwt_settings: JwtSettings, storage_env: dict[str, str]
) -> MediasSettings:
    return settings_on(database, main_server, jwt_settings, storage_env, MEDIAS_PROCESSING_ENABLED="false")


async def test_a_patch_is_two_statements_and_the_upload_ends_in_its_media(client, make_user, medias_app):
    user = await make_user()
    data = png_bytes(extra=120_000)
    url = (await create(client, user, len(data))).headers["location"]
    assert (await patch(client, user, url, 0, data[:40_000])).status_code == 204
    engine = await medias_app.state.dishka_container.get(AsyncEngine)

    with recorded_statements(engine) as statements:
        answer = await patch(client, user, url, 40_000, data[40_000:80_000])
    assert answer.status_code == 204 and answer.headers["upload-offset"] == "80000"
    assert len(statements) == 2, statements  # no BEGIN, SET or COMMIT around them either
    assert all(statement.lstrip().upper().startswith("UPDATE RESUMABLE_UPLOAD") for statement in statements)

    assert (await patch(client, user, url, 80_000, data[80_000:])).status_code == 204
    media_id = (await client.get(url, headers=user.headers)).json()["media_id"]
    content = await client.get(f"/api/v1/media/{media_id}/content", headers=user.headers)
    assert hashlib.sha256(content.content).hexdigest() == hashlib.sha256(data).hexdigest()


async def test_a_patch_whose_lease_went_to_another_request_records_nothing(client, make_user, medias_app):
    user = await make_user()
    data = png_bytes(extra=100_000)
    url = (await create(client, user, len(data))).headers["location"]
    upload_id = uuid.UUID(url.rsplit("/", 1)[1])
    engine = await medias_app.state.dishka_container.get(AsyncEngine)
    arrived = asyncio.Event()

    async def stalled_body():
        yield data[:50_000]
        await arrived.wait()
        yield data[50_000:]

    first = asyncio.create_task(patch(client, user, url, 0, stalled_body()))
    await asyncio.sleep(0.3)
    # as after a stall longer than the lease: it ran out and another request took the upload
    async with engine.begin() as connection:
        thief = resumable_upload.update().where(resumable_upload.c.id == upload_id)
        await connection.execute(thief.values(lock_holder=uuid.uuid4()))
    arrived.set()
    answer = await first
    assert (answer.status_code, answer.json()["code"]) == (409, "upload_busy")

    async with engine.begin() as connection:  # the other request ends without sending anything
        free = update(resumable_upload).where(resumable_upload.c.id == upload_id)
        await connection.execute(free.values(lock_holder=None, locked_until=None))
    assert await offset_of(client, user, url) == 0
    assert (await patch(client, user, url, 0, data)).status_code == 204
