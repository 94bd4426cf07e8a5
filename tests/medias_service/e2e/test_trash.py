"""Trash: delete, list, restore, purge now or after the retention; purging removes blobs nobody else uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from medias_service.main import cli
from medias_service.services.trash import TrashService
from tests.medias_service.e2e.helpers import add_version, upload
from tests.medias_service.support import pdf_bytes, png_bytes

NOTHING = {"media": 0, "versions": 0, "blobs": 0, "tags": 0, "used_bytes": 0, "reserved_bytes": 0, "reservations": 0}


async def test_trash_and_restore(client, make_user, medias_app):
    user = await make_user()
    media = await upload(client, user, tags="keep")
    url = f"/api/v1/media/{media['id']}"
    assert (await client.delete(url, headers=user.headers)).status_code == 204
    assert (await client.get(url, headers=user.headers)).status_code == 404
    assert (await client.get(media["content_url"], headers=user.headers)).status_code == 404
    assert (await client.get("/api/v1/media", headers=user.headers)).json()["total"] == 0
    trash = (await client.get("/api/v1/media/trash", headers=user.headers)).json()
    [item] = trash["items"]
    assert item["id"] == media["id"]
    deleted_at = datetime.fromisoformat(item["deleted_at"])
    assert datetime.fromisoformat(item["purge_after"]) - deleted_at == timedelta(days=30)
    again = await client.delete(url, headers=user.headers)
    assert again.status_code == 409
    assert again.json()["code"] == "already_in_trash"

    restored = await client.post(f"{url}/restore", headers=user.headers)
    assert restored.status_code == 200
    assert restored.json()["deleted_at"] is None
    assert restored.json()["tags"] == ["keep"]
    assert (await client.get(url, headers=user.headers)).status_code == 200
    not_trashed = await client.post(f"{url}/restore", headers=user.headers)
    assert not_trashed.json()["code"] == "not_in_trash"


@pytest.mark.usefixtures("storage_backend")
async def test_permanent_delete_purges_rows_and_blobs(client, make_user, db_probe, storage_probe):
    user = await make_user()
    media = await upload(client, user, png_bytes(extra=3000), tags="x")
    await add_version(client, user, media["id"], pdf_bytes(extra=3000))
    keys = storage_probe.objects()
    assert len(keys) == 2
    response = await client.delete(f"/api/v1/media/{media['id']}", params={"permanent": "true"}, headers=user.headers)
    assert response.status_code == 204
    assert await db_probe.counts(user.id) == NOTHING
    assert storage_probe.objects() == []
    queued = await db_probe.fetch("SELECT storage_key FROM storage_garbage WHERE storage_key = ANY($1)", keys)
    assert queued == []  # deleted after the commit, so nothing waits for a retry
    assert (await client.get(f"/api/v1/media/{media['id']}", headers=user.headers)).status_code == 404


@pytest.mark.usefixtures("storage_backend")
async def test_purge_keeps_blobs_still_referenced(client, make_user, db_probe, storage_probe):
    user = await make_user()
    shared = png_bytes(extra=2000)
    first = await upload(client, user, shared)
    second = await upload(client, user, shared)
    await client.delete(f"/api/v1/media/{first['id']}", params={"permanent": "true"}, headers=user.headers)
    assert (await db_probe.counts(user.id))["blobs"] == 1
    [key] = storage_probe.objects()
    assert (await client.get(second["content_url"], headers=user.headers)).content == shared
    await client.delete(f"/api/v1/media/{second['id']}", params={"permanent": "true"}, headers=user.headers)
    assert await db_probe.counts(user.id) == NOTHING
    assert key not in storage_probe.objects()


@pytest.mark.usefixtures("storage_backend")
async def test_expired_trash_is_purged(client, make_user, medias_app, db_probe, storage_probe):
    user = await make_user()
    old = await upload(client, user, png_bytes(extra=100))
    fresh = await upload(client, user, pdf_bytes(extra=100))
    kept = await upload(client, user, png_bytes(extra=200))
    for media in (old, fresh):
        await client.delete(f"/api/v1/media/{media['id']}", headers=user.headers)
    async with medias_app.state.dishka_container() as request:
        trash = await request.get(TrashService)
        assert await trash.purge_expired(now=datetime.now(UTC) + timedelta(days=29)) == 0
        # 30 days after both deletions: both trashed media go, with their blobs (other owners' trash may go too).
        assert await trash.purge_expired(now=datetime.now(UTC) + timedelta(days=30, seconds=1)) >= 2
    counts = await db_probe.counts(user.id)
    assert (counts["media"], counts["blobs"], counts["used_bytes"]) == (1, 1, kept["size"])
    assert len(storage_probe.objects()) == 1
    assert (await client.post(f"/api/v1/media/{old['id']}/restore", headers=user.headers)).status_code == 404


async def test_the_purge_cli_purges_expired_trash(
    medias_db_url, main_server, storage_env, make_user, client, db_probe, monkeypatch
):
    user = await make_user()
    media = await upload(client, user)
    await client.delete(f"/api/v1/media/{media['id']}", headers=user.headers)
    env = {"MEDIAS_DB_URL": medias_db_url, "MEDIAS_MAIN_URL": main_server, **storage_env}
    for name, value in {**env, "MEDIAS_TRASH_RETENTION_DAYS": "30"}.items():
        monkeypatch.setenv(name, value)
    assert await cli.purge_trash() == 0
    assert (await db_probe.counts(user.id))["media"] == 1  # not expired yet
    monkeypatch.setenv("MEDIAS_TRASH_RETENTION_DAYS", "0")
    assert await cli.purge_trash() == 0
    assert await db_probe.counts(user.id) == NOTHING
