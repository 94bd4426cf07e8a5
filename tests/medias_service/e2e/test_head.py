"""HEAD on every GET route answers as GET does, without content (RFC 9110 §9.3.2)."""

from __future__ import annotations

import pytest

from tests.medias_service.support import multipart_body, multipart_headers, png_bytes
from tests.support.head import assert_head_mirrors_get

pytestmark = pytest.mark.usefixtures("storage_backend")


async def test_head_answers_every_get_route_with_gets_status_and_headers(client, medias_app, make_user):
    user = await make_user()
    data = png_bytes(extra=4096)
    created = await client.post(
        "/api/v1/media", content=multipart_body(("p.png", "image/png", data)), headers=multipart_headers(user.token)
    )
    assert created.status_code == 201, created.text
    folder = await client.post("/api/v1/folders", json={"name": "f"}, headers=user.headers)
    link = await client.post("/api/v1/shares", json={"media_id": created.json()["id"]}, headers=user.headers)
    resumable = await client.post(
        "/api/v1/uploads", headers={**user.headers, "Tus-Resumable": "1.0.0", "Upload-Length": "100"}
    )
    samples = {
        "upload_id": resumable.headers["location"].rsplit("/", 1)[1],
        "media_id": created.json()["id"],
        "folder_id": folder.json()["id"],
        "token": link.json()["token"],
        "number": "1",
        "name": "thumb",
        "file_path": "swagger-ui.css",
        "path": "openapi.yaml",
    }
    seen = await assert_head_mirrors_get(
        client, medias_app, samples, user.headers, volatile={"/metrics": {"content-length"}}
    )
    content = created.json()["content_url"]
    assert (content, 200) in seen and (content, 206) in seen


async def test_head_on_content_gives_the_length_the_etag_and_the_disposition(client, make_user):
    user = await make_user()
    data = png_bytes(extra=2 * 1024 * 1024)
    created = await client.post(
        "/api/v1/media", content=multipart_body(("p.png", "image/png", data)), headers=multipart_headers(user.token)
    )
    doc = created.json()
    response = await client.head(doc["content_url"], headers=user.headers)
    assert response.status_code == 200
    assert response.headers["content-length"] == str(len(data))
    assert response.headers["etag"] == f'"{doc["sha256"]}"'
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.content == b""
    ranged = await client.head(doc["content_url"], headers={**user.headers, "Range": "bytes=10-19"})
    assert ranged.status_code == 206
    assert ranged.headers["content-range"] == f"bytes 10-19/{len(data)}"
    assert ranged.headers["content-length"] == "10"
