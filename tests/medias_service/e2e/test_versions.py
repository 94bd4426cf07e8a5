"""Versions: adding, listing, downloading and restoring; the same bytes are stored once."""

from __future__ import annotations

from tests.medias_service.e2e.helpers import add_version, upload
from tests.medias_service.support import multipart_body, multipart_headers, pdf_bytes, png_bytes


async def test_versions_lifecycle(client, make_user, db_probe, storage_probe):
    user = await make_user()
    first, second = png_bytes(extra=100), pdf_bytes(extra=100)
    media = await upload(client, user, first, filename="one.png", title="Kept title")
    response = await client.post(
        f"/api/v1/media/{media['id']}/versions",
        content=multipart_body(("two.pdf", None, second)),
        headers=multipart_headers(user.token),
    )
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/v1/media/{media['id']}/versions/2"
    doc = response.json()
    assert (doc["version_count"], doc["current_version"]["number"]) == (2, 2)
    assert (doc["kind"], doc["content_type"], doc["title"]) == ("document", "application/pdf", "Kept title")
    assert doc["original_filename"] == "two.pdf"
    assert (await client.get(doc["content_url"], headers=user.headers)).content == second
    old = await client.get(f"/api/v1/media/{media['id']}/versions/1/content", headers=user.headers)
    assert old.content == first
    missing = await client.get(f"/api/v1/media/{media['id']}/versions/9/content", headers=user.headers)
    assert missing.status_code == 404
    assert missing.json()["code"] == "version_not_found"

    restored = await client.post(f"/api/v1/media/{media['id']}/versions/1/restore", headers=user.headers)
    assert restored.status_code == 200, restored.text
    current = restored.json()["current_version"]
    assert (current["number"], current["restored_from"], current["sha256"]) == (3, 1, media["sha256"])
    assert (await client.get(media["content_url"], headers=user.headers)).content == first

    listed = (await client.get(f"/api/v1/media/{media['id']}/versions", headers=user.headers)).json()
    assert [v["number"] for v in listed] == [3, 2, 1]
    assert [v["restored_from"] for v in listed] == [1, None, None]
    assert listed[2]["content_url"] == f"/api/v1/media/{media['id']}/versions/1/content"

    counts = await db_probe.counts(user.id)
    assert (counts["versions"], counts["blobs"], counts["used_bytes"]) == (3, 2, len(first) + len(second))
    assert len([key for key in storage_probe.objects() if key.startswith("blobs/")]) == 2
    [[refcount]] = await db_probe.fetch("SELECT refcount FROM blob WHERE sha256 = $1", media["sha256"])
    assert refcount == 2
    bad = await client.post(f"/api/v1/media/{media['id']}/versions/7/restore", headers=user.headers)
    assert bad.status_code == 404


async def test_a_version_with_the_same_bytes_reuses_the_blob(client, make_user, db_probe, storage_probe):
    user = await make_user()
    data = png_bytes(extra=5000)
    media = await upload(client, user, data)
    await add_version(client, user, media["id"], data)
    elsewhere = await upload(client, user, data)
    assert elsewhere["sha256"] == media["sha256"]
    counts = await db_probe.counts(user.id)
    assert (counts["media"], counts["versions"], counts["blobs"], counts["used_bytes"]) == (2, 3, 1, len(data))
    assert len(storage_probe.objects()) == 1
    other = await make_user()  # dedupe is per owner
    await upload(client, other, data)
    assert (await db_probe.counts(other.id))["blobs"] == 1
    assert len(storage_probe.objects()) == 2


async def test_a_bad_version_changes_nothing(client, make_user, db_probe, storage_probe):
    user = await make_user()
    media = await upload(client, user)
    before, objects = await db_probe.counts(user.id), storage_probe.objects()
    body = multipart_body(("x.png", None, pdf_bytes(extra=1000)), close=False)
    response = await client.post(
        f"/api/v1/media/{media['id']}/versions", content=body, headers=multipart_headers(user.token)
    )
    assert response.status_code == 400
    assert await db_probe.counts(user.id) == before
    assert storage_probe.objects() == objects
    doc = (await client.get(f"/api/v1/media/{media['id']}", headers=user.headers)).json()
    assert doc["version_count"] == 1
