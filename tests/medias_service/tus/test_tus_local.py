"""tus uploads driven by tuspy on the local disk: the same media as the multipart route, resumed after a killed
client, terminated, checked, expired."""

from __future__ import annotations

import asyncio
import hashlib

import httpx

from tests.medias_service.e2e.helpers import upload as multipart_upload
from tests.medias_service.support import png_bytes
from tests.medias_service.tus.conftest import tus_client

MIB = 1024 * 1024


async def _media_of(url: str, user, upload_url: str) -> dict:
    async with httpx.AsyncClient(base_url=url, headers=user.headers) as http:
        state = await http.get(upload_url)
        assert state.status_code == 200, state.text
        assert state.json()["offset"] == state.json()["length"]
        media = await http.get(state.json()["media_url"])
        assert media.status_code == 200, media.text
        return media.json()


async def test_tus_upload_ends_in_the_same_media_as_multipart(storage_backend, tus_url, make_user, db_probe, tmp_path):
    user = await make_user()
    data = png_bytes(extra=3 * MIB + 12345)
    path = tmp_path / "photo.png"
    path.write_bytes(data)
    uploader = tus_client(tus_url, user.token).uploader(
        str(path), chunk_size=MIB, metadata={"filename": "photo.png", "title": "Caf\u0065\u0301", "tags": "a, B"}
    )
    await asyncio.to_thread(uploader.upload)
    media = await _media_of(tus_url, user, uploader.url)
    async with httpx.AsyncClient(base_url=tus_url) as http:
        same = await multipart_upload(http, user, data, filename="photo.png", title="Caf\u0065\u0301", tags="a, B")
        content = await http.get(media["content_url"], headers=user.headers)
    assert content.content == data
    assert media["sha256"] == hashlib.sha256(data).hexdigest() == same["sha256"]
    for field in ("title", "tags", "content_type", "kind", "size", "original_filename", "is_public", "status"):
        assert media[field] == same[field], field
    assert (await db_probe.counts(user.id))["blobs"] == 1  # one blob: the second upload was a duplicate
