"""Upload helper shared by the e2e tests."""

from __future__ import annotations

from tests.medias_service.support import multipart_body, multipart_headers, png_bytes


async def upload(client, user, data: bytes | None = None, filename: str = "file.png", **fields: str) -> dict:
    body = multipart_body((filename, None, data if data is not None else png_bytes(extra=64)), list(fields.items()))
    response = await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token))
    assert response.status_code == 201, response.text
    return response.json()


async def add_version(client, user, media_id: str, data: bytes, filename: str = "v.png") -> dict:
    body = multipart_body((filename, None, data))
    response = await client.post(
        f"/api/v1/media/{media_id}/versions", content=body, headers=multipart_headers(user.token)
    )
    assert response.status_code == 201, response.text
    return response.json()
