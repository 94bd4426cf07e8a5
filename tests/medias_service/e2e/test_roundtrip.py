"""Byte-exact upload and download round trips on both storage adapters."""

from __future__ import annotations

import hashlib

import pytest

from tests.medias_service.support import binary_bytes, multipart_body, multipart_headers, pdf_bytes, png_bytes

pytestmark = pytest.mark.usefixtures("storage_backend")


async def test_upload_then_download_is_byte_exact(client, make_user, storage_probe, db_probe):
    user = await make_user()
    data = png_bytes(extra=300_000)
    body = multipart_body(
        ("holiday.png", "image/png", data),
        [("title", "  Beach   at dawn "), ("description", "first light"), ("tags", "Sea, holiday"), ("tags", "sea")],
    )
    response = await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token))
    assert response.status_code == 201, response.text
    doc = response.json()
    assert response.headers["location"] == f"/api/v1/media/{doc['id']}"
    assert doc["title"] == "Beach at dawn"
    assert doc["kind"] == "image"
    assert doc["content_type"] == "image/png"
    assert doc["size"] == len(data)
    assert doc["sha256"] == hashlib.sha256(data).hexdigest()
    assert doc["status"] == "pending"
    assert doc["current_version"]["number"] == 1
    assert doc["version_count"] == 1
    assert doc["tags"] == ["sea", "holiday"]
    assert doc["original_filename"] == "holiday.png"
    assert doc["is_public"] is False

    download = await client.get(doc["content_url"], headers=user.headers)
    assert download.status_code == 200
    assert download.content == data
    assert download.headers["content-type"] == "image/png"
    assert download.headers["content-length"] == str(len(data))
    assert download.headers["etag"] == f'"{doc["sha256"]}"'
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("inline")

    [stored] = [key for key in storage_probe.objects() if key.startswith("blobs/")]
    assert storage_probe.read(stored) == data
    assert storage_probe.incomplete_uploads() == []
    counts = await db_probe.counts(user.id)
    assert counts == {
        "media": 1,
        "versions": 1,
        "blobs": 1,
        "tags": 2,
        "used_bytes": len(data),
        "reserved_bytes": 0,
        "reservations": 0,
    }


async def test_large_upload_streams_in_many_chunks(client, make_user):
    user = await make_user()
    data = pdf_bytes(extra=6 * 1024 * 1024 + 17)  # more than one S3 part and many local blocks

    async def body():
        payload = multipart_body(("report.pdf", "application/pdf", data))
        for start in range(0, len(payload), 65536):
            yield payload[start : start + 65536]

    response = await client.post("/api/v1/media", content=body(), headers=multipart_headers(user.token))
    assert response.status_code == 201, response.text
    doc = response.json()
    assert doc["kind"] == "document"
    download = await client.get(doc["content_url"], headers=user.headers)
    assert hashlib.sha256(download.content).hexdigest() == hashlib.sha256(data).hexdigest()
    assert download.headers["content-disposition"].startswith("inline")


async def test_fields_after_the_file_are_read(client, make_user):
    user = await make_user()
    body = multipart_body(
        ("a.bin", None, binary_bytes(10) + b"%PDF"), fields_after=[("title", "After"), ("is_public", "yes")]
    )
    response = await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token))
    assert response.status_code == 415, response.text  # binary bytes: not an allowed type
    body = multipart_body(("a.pdf", None, pdf_bytes()), fields_after=[("title", "After"), ("is_public", "yes")])
    response = await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token))
    assert response.status_code == 201, response.text
    assert response.json()["title"] == "After"
    assert response.json()["is_public"] is True


TEXT = "Le cœur a ses raisons que la raison ne connaît point. 5 € — « bien sûr ».\n"


@pytest.mark.parametrize(
    ("data", "charset"),
    [(TEXT.encode("utf-16"), "utf-16le"), (TEXT.encode("cp1252"), "windows-1252"), (TEXT.encode(), "utf-8")],
)
async def test_a_text_is_served_in_the_charset_it_was_written_in(client, make_user, data, charset):
    """UTF-16 was served as UTF-8 (garbled) and Windows-1252 refused with 415."""
    user = await make_user()
    body = multipart_body(("notes.txt", "text/plain", data))
    response = await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token))
    assert response.status_code == 201, response.text
    doc = response.json()
    assert doc["kind"] == "document"
    served = await client.get(doc["content_url"], headers=user.headers)
    assert served.headers["content-type"] == f"text/plain; charset={charset}"
    assert served.content == data
    assert served.text.lstrip("\ufeff") == TEXT  # what a client reading the declared charset shows
