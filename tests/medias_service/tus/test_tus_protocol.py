"""The tus protocol by hand: discovery, creation with upload, offsets, checksums, termination, expiry, the lease
against concurrent requests, ownership, versions, refused content, and state kept across a restart."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import uuid

import httpx
import msgspec

from medias_service.main.app import create_http_app
from medias_service.main.tus_expiry import expire_once
from tests.medias_service.conftest import SignedTokensProvider
from tests.medias_service.e2e.helpers import upload as multipart_upload
from tests.medias_service.support import png_bytes
from tests.support.asgi import asgi_client, running

UPLOADS = "/api/v1/uploads"
TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = {"Content-Type": "application/offset+octet-stream"}


def meta(**values: str) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in values.items())


async def create(client, user, length: int, body: bytes = b"", **metadata: str) -> httpx.Response:
    headers = {**user.headers, **TUS, "Upload-Length": str(length), "Upload-Metadata": meta(**metadata)}
    if body:
        headers |= OCTETS
    return await client.post(UPLOADS + "/", headers=headers, content=body)


async def patch(client, user, url: str, offset: int, body, **headers: str) -> httpx.Response:
    sent = {**user.headers, **TUS, **OCTETS, "Upload-Offset": str(offset), **headers}
    return await client.patch(url, headers=sent, content=body)


async def reserved_bytes(db_probe, user) -> int:
    rows = await db_probe.fetch("SELECT bytes_reserved FROM storage_usage WHERE owner_id = $1", user.id)
    return int(rows[0]["bytes_reserved"]) if rows else 0


def sha256_header(data: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode()


async def offset_of(client, user, url: str) -> int:
    response = await client.head(url, headers={**user.headers, **TUS})
    assert response.status_code == 200, response.status_code
    return int(response.headers["upload-offset"])


async def test_options_lists_version_extensions_and_limits(client):
    response = await client.options(UPLOADS + "/")
    assert response.status_code == 204
    assert response.headers["tus-version"] == "1.0.0"
    assert set(response.headers["tus-extension"].split(",")) == {
        "creation", "creation-with-upload", "termination", "expiration", "checksum"
    }  # fmt: skip
    assert "sha256" in response.headers["tus-checksum-algorithm"]
    assert int(response.headers["tus-max-size"]) > 0


async def test_creation_with_upload_offsets_and_checksums(client, make_user, db_probe):
    user = await make_user()
    data = png_bytes(extra=40_000)
    created = await create(client, user, len(data), data[:10_000], filename="a.png")
    assert created.status_code == 201, created.text
    url = created.headers["location"]
    assert created.headers["upload-offset"] == "10000" and "upload-expires" in created.headers

    mismatch = await patch(client, user, url, 5, data[5:20_000])
    assert (mismatch.status_code, mismatch.json()["code"]) == (409, "upload_offset_mismatch")
    bad = await patch(client, user, url, 10_000, data[10_000:20_000], **{"Upload-Checksum": sha256_header(b"x")})
    assert (bad.status_code, bad.json()["code"]) == (460, "checksum_mismatch")
    assert await offset_of(client, user, url) == 10_000  # the refused bytes were not kept
    good = await patch(
        client, user, url, 10_000, data[10_000:20_000], **{"Upload-Checksum": sha256_header(data[10_000:20_000])}
    )
    assert (good.status_code, good.headers["upload-offset"]) == (204, "20000")
    too_long = await patch(client, user, url, 20_000, data[20_000:] + b"more")
    assert (too_long.status_code, too_long.json()["code"]) == (413, "upload_length_exceeded")
    last = await patch(client, user, url, 20_000, data[20_000:])
    assert last.status_code == 204 and last.headers["upload-offset"] == str(len(data))
    state = (await client.get(url, headers=user.headers)).json()
    media = (await client.get(state["media_url"], headers=user.headers)).json()
    assert media["sha256"] == hashlib.sha256(data).hexdigest() and media["original_filename"] == "a.png"
    assert await reserved_bytes(db_probe, user) == 0  # settled: the stored bytes are charged instead
    assert (await db_probe.counts(user.id))["used_bytes"] == len(data)
    again = await patch(client, user, url, len(data), b"")  # a complete upload's bytes are the media's now
    assert (again.status_code, again.json()["code"]) == (409, "upload_completed")
    content = await client.get(media["content_url"], headers=user.headers)
    assert content.content == data
    # the refused PATCH let its lease go: terminating the record is not refused as busy
    assert (await client.delete(url, headers={**user.headers, **TUS})).status_code == 204


async def test_protocol_errors(client, make_user):
    user = await make_user()
    other = {**user.headers, "Upload-Length": "10", "Tus-Resumable": "0.2.2"}
    other_version = await client.post(UPLOADS + "/", headers=other)
    assert (other_version.status_code, other_version.json()["code"]) == (412, "tus_version_unsupported")
    no_version = await client.post(UPLOADS + "/", headers={**user.headers, "Upload-Length": "10"})
    assert (no_version.status_code, no_version.json()["code"]) == (400, "validation_failed")
    no_length = await client.post(UPLOADS + "/", headers={**user.headers, **TUS})
    assert (no_length.status_code, no_length.json()["code"]) == (400, "validation_failed")
    bad = {**user.headers, **TUS, "Upload-Length": "9", "Upload-Metadata": "title %%%"}
    bad_meta = await client.post(UPLOADS + "/", headers=bad)
    assert (bad_meta.status_code, bad_meta.json()["code"]) == (422, "invalid_upload_metadata")
    too_big = await create(client, user, 200 * 1024 * 1024)
    assert (too_big.status_code, too_big.json()["code"]) == (413, "file_too_large")
    url = (await create(client, user, 100)).headers["location"]
    wrong_type = await client.patch(url, headers={**user.headers, **TUS, "Upload-Offset": "0"}, content=b"x")
    assert wrong_type.status_code == 415
    anonymous = await client.head(url, headers=TUS)
    assert anonymous.status_code == 401


async def test_an_upload_belongs_to_its_creator(client, make_user):
    owner, other = await make_user(), await make_user()
    url = (await create(client, owner, 100)).headers["location"]
    assert (await client.head(url, headers={**other.headers, **TUS})).status_code == 404
    assert (await patch(client, other, url, 0, b"x" * 10)).status_code == 404
    assert (await client.delete(url, headers={**other.headers, **TUS})).status_code == 404
    assert await offset_of(client, owner, url) == 0
    assert (await patch(client, owner, url, 0, b"x" * 10)).status_code == 204  # the others took no lease


async def test_termination_removes_the_partial_data(storage_backend, client, make_user, storage_probe, db_probe):
    user = await make_user()
    data = png_bytes(extra=6 * 1024 * 1024)
    url = (await create(client, user, len(data), data[: 5 * 1024 * 1024 + 7])).headers["location"]
    assert storage_probe.objects() or storage_probe.incomplete_uploads()
    assert await reserved_bytes(db_probe, user) == len(data)
    deleted = await client.delete(url, headers={**user.headers, **TUS})
    assert deleted.status_code == 204
    assert (await client.head(url, headers={**user.headers, **TUS})).status_code == 404
    assert storage_probe.incomplete_uploads() == []
    assert [key for key in storage_probe.objects() if "uploads" in key] == []
    assert await reserved_bytes(db_probe, user) == 0


async def test_an_abandoned_upload_expires_with_its_partial_data(
    storage_backend, medias_app, client, make_user, storage_probe, db_probe
):
    user = await make_user()
    data = png_bytes(extra=6 * 1024 * 1024)
    url = (await create(client, user, len(data), data[: 5 * 1024 * 1024 + 7])).headers["location"]
    upload_id = uuid.UUID(url.rsplit("/", 1)[1])
    assert await reserved_bytes(db_probe, user) == len(data)
    await db_probe.fetch(
        "UPDATE resumable_upload SET expires_at = now() - interval '1 second' WHERE id = $1", upload_id
    )
    assert (await client.head(url, headers={**user.headers, **TUS})).status_code == 404  # expired: gone for clients
    assert await expire_once(medias_app.state.dishka_container) >= 1
    assert await db_probe.fetch("SELECT id FROM resumable_upload WHERE id = $1", upload_id) == []
    assert storage_probe.incomplete_uploads() == []
    assert [key for key in storage_probe.objects() if "uploads" in key] == []
    assert await reserved_bytes(db_probe, user) == 0  # the reservation went with it


async def test_a_second_request_is_refused_while_one_sends_bytes(client, make_user):
    user = await make_user()
    data = png_bytes(extra=100_000)
    url = (await create(client, user, len(data))).headers["location"]
    release = asyncio.Event()

    async def slow_body():
        yield data[:50_000]
        await release.wait()
        yield data[50_000:]

    first = asyncio.create_task(patch(client, user, url, 0, slow_body()))
    await asyncio.sleep(0.3)
    second = await patch(client, user, url, 0, data)
    assert (second.status_code, second.json()["code"]) == (409, "upload_busy")
    release.set()
    answer = await first
    assert answer.status_code == 204 and answer.headers["upload-offset"] == str(len(data))


async def test_a_new_version_through_tus(client, make_user):
    user = await make_user()
    media = await multipart_upload(client, user, png_bytes(extra=10))
    data = png_bytes(extra=20_000)
    url = (await create(client, user, len(data), data, media_id=media["id"])).headers["location"]
    state = (await client.get(url, headers=user.headers)).json()
    assert state["media_id"] == media["id"]
    updated = (await client.get(f"/api/v1/media/{media['id']}", headers=user.headers)).json()
    assert updated["version_count"] == 2 and updated["sha256"] == hashlib.sha256(data).hexdigest()


async def test_refused_content_ends_the_upload(client, make_user, storage_probe):
    user = await make_user()
    data = b"<html><script>alert(1)</script></html>" + b" " * 10_000
    url = (await create(client, user, len(data))).headers["location"]
    refused = await patch(client, user, url, 0, data)
    assert refused.status_code == 415
    assert (await client.head(url, headers={**user.headers, **TUS})).status_code == 404
    assert [key for key in storage_probe.objects() if "uploads" in key] == []


async def test_the_state_survives_a_restart(medias_settings, service_tokens, make_user):
    user = await make_user()
    data = png_bytes(extra=300_000)
    app = create_http_app(medias_settings, overrides=[SignedTokensProvider(service_tokens)])
    async with running(app), asgi_client(app, "http://medias") as client:
        url = (await create(client, user, len(data), data[:100_000])).headers["location"]
    again = create_http_app(medias_settings, overrides=[SignedTokensProvider(service_tokens)])
    async with running(again), asgi_client(again, "http://medias") as client:
        assert await offset_of(client, user, url) == 100_000
        assert (await patch(client, user, url, 100_000, data[100_000:])).status_code == 204
        state = (await client.get(url, headers=user.headers)).json()
        media = (await client.get(state["media_url"], headers=user.headers)).json()
    assert media["sha256"] == hashlib.sha256(data).hexdigest()  # this process had no hash: it read the file back


async def test_quota_is_reserved_at_creation_and_folders_are_honoured(client, make_user, db_probe):
    user = await make_user(domain="tiny.test")  # 64 KiB uploads, 160 KiB quota
    first = await create(client, user, 60 * 1024)
    assert first.status_code == 201
    second = await create(client, user, 60 * 1024)
    assert second.status_code == 201
    third = await create(client, user, 60 * 1024)  # 180 KiB reserved would pass the quota
    assert (third.status_code, third.json()["code"]) == (507, "quota_exceeded")
    assert (await client.delete(second.headers["location"], headers={**user.headers, **TUS})).status_code == 204
    folder = await client.post("/api/v1/folders", json={"name": "Holidays"}, headers=user.headers)
    assert folder.status_code == 201, folder.text
    data = png_bytes(extra=50 * 1024)
    created = await create(client, user, len(data), data, folder_id=folder.json()["id"], tags="sea")
    assert created.status_code == 201, created.text
    state = (await client.get(created.headers["location"], headers=user.headers)).json()
    media = (await client.get(state["media_url"], headers=user.headers)).json()
    assert (media["folder_id"], media["tags"]) == (folder.json()["id"], ["sea"])
    assert await reserved_bytes(db_probe, user) == 60 * 1024  # only the first upload still holds its room
    unknown = await create(client, user, 10, folder_id=str(uuid.uuid4()))
    assert (unknown.status_code, unknown.json()["code"]) == (404, "folder_not_found")


async def test_a_browser_page_may_read_the_tus_headers(medias_settings, service_tokens, make_user):
    origin = "https://app.example"
    http = msgspec.structs.replace(medias_settings.http, cors_origins=[origin])
    app = create_http_app(
        msgspec.structs.replace(medias_settings, http=http), overrides=[SignedTokensProvider(service_tokens)]
    )
    user = await make_user()
    async with running(app), asgi_client(app, "http://medias") as client:
        preflight = await client.options(
            UPLOADS + "/",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "PATCH",
                "Access-Control-Request-Headers": "tus-resumable,upload-offset,content-type,authorization",
            },
        )
        assert preflight.status_code in (200, 204)
        assert "PATCH" in preflight.headers["access-control-allow-methods"]
        created = await client.post(
            UPLOADS + "/", headers={**user.headers, **TUS, "Upload-Length": "10", "Origin": origin}
        )
        exposed = {name.strip().lower() for name in created.headers["access-control-expose-headers"].split(",")}
    assert {"location", "upload-offset", "upload-expires", "tus-resumable"} <= exposed
