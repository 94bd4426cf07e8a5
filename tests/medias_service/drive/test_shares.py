"""Share links through HTTP on PostgreSQL and SQLite: the owner's side, public access with Range/ETag, folders by
path, passwords with a guess limit, one 404 for every dead link, download limits, ZIP."""

from __future__ import annotations

import asyncio
import hashlib
import io
import zipfile
from datetime import UTC, datetime, timedelta

from tests.medias_service.drive.test_folders import F, make, problem
from tests.medias_service.support import MODERATOR_PERMISSIONS, multipart_body, multipart_headers, pdf_bytes

S = "/api/v1/shares"


async def share(client, user, **fields) -> dict:
    response = await client.post(S, json=fields, headers=user.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def upload_file(client, user, data: bytes, folder_id: str | None = None, name: str = "doc.pdf") -> dict:
    fields = [("folder_id", folder_id)] if folder_id else []
    body = multipart_body((name, "application/pdf", data), fields)
    response = await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token))
    assert response.status_code == 201, response.text
    return response.json()


def path_of(link: dict) -> str:
    return f"/api/v1/s/{link['token']}"


async def test_a_media_link_serves_metadata_and_content_with_range_and_etag(client, make_user):
    user = await make_user()
    data = pdf_bytes(extra=5000)
    media = await upload_file(client, user, data)
    link = await share(client, user, media_id=media["id"])
    assert len(link["token"]) >= 43 and link["url"].endswith(f"/api/v1/s/{link['token']}")
    assert link["state"] == "active" and link["has_password"] is False
    public = path_of(link)
    meta = (await client.get(public)).json()
    assert (meta["kind"], meta["file"]["size"], meta["file"]["content_type"]) == ("file", len(data), "application/pdf")
    whole = await client.get(f"{public}/content")
    assert whole.status_code == 200 and whole.content == data
    etag = whole.headers["etag"]
    assert (await client.get(f"{public}/content", headers={"If-None-Match": etag})).status_code == 304
    part = await client.get(f"{public}/content", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == data[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(data)}"
    listed = (await client.get(S, headers=user.headers)).json()["items"]
    assert listed[0]["access_count"] == 4 and listed[0]["download_count"] == 2 and listed[0]["last_access_at"]
    assert "token" not in listed[0] or listed[0]["token"] is None


async def test_a_folder_link_lists_sub_folders_by_path_and_serves_items_inside_only(client, make_user):
    user = await make_user()
    top = await make(client, user, "Top")
    sub = await make(client, user, "Sub Dir", top["id"])
    outside = await upload_file(client, user, pdf_bytes(extra=10))
    inner = await upload_file(client, user, pdf_bytes(extra=20), sub["id"], "inner.pdf")
    await upload_file(client, user, pdf_bytes(extra=30), top["id"], "top.pdf")
    link = await share(client, user, folder_id=top["id"])
    public = path_of(link)
    root = (await client.get(public)).json()
    assert root["kind"] == "folder" and root["total"] == 2
    assert [item["name"] for item in root["folders"]] == ["Sub Dir"]
    assert [item["name"] for item in root["files"]] == ["top.pdf"] or len(root["files"]) == 1
    deeper = (await client.get(public, params={"path": "sub dir"})).json()  # names match case-insensitively
    assert deeper["folder"]["path"] == ["Sub Dir"]
    assert [item["id"] for item in deeper["files"]] == [inner["id"]]
    got = await client.get(deeper["files"][0]["content_url"])
    assert got.status_code == 200 and got.content.startswith(b"%PDF")
    problem(await client.get(f"{public}/items/{outside['id']}/content"), 404, "share_not_found")
    problem(await client.get(public, params={"path": "nope"}), 404, "share_not_found")
    problem(await client.get(f"{public}/content"), 404, "share_not_found")  # a folder has no single content


async def test_zip_of_a_folder(client, make_user):
    user = await make_user()
    top = await make(client, user, "Album")
    sub = await make(client, user, "inner", top["id"])
    first, second, third = pdf_bytes(extra=3000), pdf_bytes(extra=10), pdf_bytes(extra=99)
    await upload_file(client, user, first, top["id"], "a.pdf")
    await upload_file(client, user, second, top["id"], "a.pdf")  # same name in one folder: renamed in the ZIP
    await upload_file(client, user, third, sub["id"], "c.pdf")
    link = await share(client, user, folder_id=top["id"])
    response = await client.get(f"{path_of(link)}/zip")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert int(response.headers["content-length"]) == len(response.content)
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    contents = {name: archive.read(name) for name in archive.namelist()}
    assert sorted(contents) == ["a (2).pdf", "a.pdf", "inner/c.pdf"]
    assert sorted(contents.values()) == sorted([first, second, third])
    assert "Album.zip" in response.headers["content-disposition"]


async def test_passwords_headers_unlock_tokens_and_the_guess_limit(client, make_user):
    user = await make_user()
    media = await upload_file(client, user, pdf_bytes(extra=10))
    link = await share(client, user, media_id=media["id"], password="open sesame")
    public = path_of(link)
    problem(await client.get(public), 401, "share_password_required")
    problem(await client.get(public, headers={"X-Share-Password": "wrong"}), 401, "share_password_invalid")
    ok = await client.get(f"{public}/content", headers={"X-Share-Password": "open sesame"})
    assert ok.status_code == 200
    unlocked = await client.post(f"{public}/unlock", json={"password": "open sesame"})
    assert unlocked.status_code == 200, unlocked.text
    token = unlocked.json()["access_token"]
    assert unlocked.json()["expires_in"] > 0
    assert (await client.get(public, headers={"X-Share-Access": token})).status_code == 200
    assert (await client.get(f"{public}/content", params={"access": token})).status_code == 200
    # a new password voids the tokens issued before
    changed = await client.patch(f"{S}/{link['id']}", json={"password": "new one"}, headers=user.headers)
    assert changed.status_code == 200 and changed.json()["has_password"]
    problem(await client.get(public, headers={"X-Share-Access": token}), 401, "share_password_required")
    # 3 password attempts a minute per link and address (the test settings), right or wrong: the fourth is
    # refused before any hash is computed, even with the right password
    other = await share(client, user, media_id=media["id"], password="second")
    for _ in range(3):
        problem(await client.get(path_of(other), headers={"X-Share-Password": "guess"}), 401, "share_password_invalid")
    limited = await client.get(path_of(other), headers={"X-Share-Password": "second"})
    problem(limited, 429, "rate_limited")
    assert int(limited.headers["retry-after"]) >= 1
    # the first link had its 3 attempts already (wrong, content, unlock): limited too
    problem(await client.post(f"{public}/unlock", json={"password": "new one"}), 429, "rate_limited")


async def test_every_dead_link_answers_the_same_404(client, make_user):
    user = await make_user()
    media = await upload_file(client, user, pdf_bytes(extra=10))
    folder = await make(client, user, "gone")
    soon = datetime.now(UTC) + timedelta(seconds=1)
    expired = await share(client, user, media_id=media["id"], expires_at=soon.isoformat())
    revoked = await share(client, user, media_id=media["id"])
    assert (await client.delete(f"{S}/{revoked['id']}", headers=user.headers)).status_code == 204
    exhausted = await share(client, user, media_id=media["id"], max_downloads=1)
    assert (await client.get(f"{path_of(exhausted)}/content")).status_code == 200
    trashed = await share(client, user, folder_id=folder["id"])
    assert (await client.delete(f"{F}/{folder['id']}", headers=user.headers)).status_code == 200
    await asyncio.sleep(1.2)
    answers = []
    for path in ("/api/v1/s/" + "x" * 43, path_of(expired), path_of(revoked), path_of(exhausted), path_of(trashed)):
        response = await client.get(path)
        problem(response, 404, "share_not_found")
        body = response.json()
        answers.append((body["title"], body["detail"], body["status"]))
    assert len(set(answers)) == 1
    states = {item["id"]: item["state"] for item in (await client.get(S, headers=user.headers)).json()["items"]}
    assert states[expired["id"]] == "expired" and states[revoked["id"]] == "revoked"
    assert states[exhausted["id"]] == "exhausted"


async def test_two_clients_racing_for_the_last_download(client, make_user):
    user = await make_user()
    data = pdf_bytes(extra=200_000)
    media = await upload_file(client, user, data)
    for _ in range(3):
        link = await share(client, user, media_id=media["id"], max_downloads=2)
        assert (await client.head(f"{path_of(link)}/content")).status_code == 200  # HEAD downloads nothing
        assert (await client.get(f"{path_of(link)}/content")).status_code == 200
        answers = await asyncio.gather(*(client.get(f"{path_of(link)}/content") for _ in range(2)))
        assert sorted(answer.status_code for answer in answers) == [200, 404]
        assert [a.content for a in answers if a.status_code == 200] == [data]
        listed = {i["id"]: i for i in (await client.get(S, headers=user.headers)).json()["items"]}
        assert listed[link["id"]]["download_count"] == 2


async def test_owner_side_patch_revoke_and_no_download(client, make_user):
    user, stranger = await make_user(), await make_user()
    moderator = await make_user(MODERATOR_PERMISSIONS)
    media = await upload_file(client, user, pdf_bytes(extra=10))
    problem(await client.post(S, json={"media_id": media["id"]}, headers=stranger.headers), 404, "media_not_found")
    problem(
        await client.post(S, json={"media_id": media["id"], "folder_id": media["id"]}, headers=user.headers),
        422,
        "invalid_share",
    )
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    problem(await client.post(S, json={"media_id": media["id"], "expires_at": past}, headers=user.headers), 422,
            "invalid_share")  # fmt: skip
    view_only = await share(client, user, media_id=media["id"], allow_download=False)
    assert (await client.get(path_of(view_only))).status_code == 200
    problem(await client.get(f"{path_of(view_only)}/content"), 403, "share_download_not_allowed")
    problem(await client.get(f"{path_of(view_only)}/zip"), 403, "share_download_not_allowed")
    patched = await client.patch(
        f"{S}/{view_only['id']}", json={"allow_download": True, "max_downloads": 5}, headers=user.headers
    )
    assert patched.status_code == 200 and patched.json()["max_downloads"] == 5
    problem(await client.patch(f"{S}/{view_only['id']}", json={"max_downloads": 1}, headers=stranger.headers), 404,
            "share_not_found")  # fmt: skip
    by_moderator = await share(client, moderator, media_id=media["id"])
    assert by_moderator["owner_id"] == str(user.id)
    assert (await client.delete(f"{S}/{by_moderator['id']}", headers=moderator.headers)).status_code == 204
    problem(await client.get(path_of(by_moderator)), 404, "share_not_found")
    token = view_only["token"]
    assert hashlib.sha256(token.encode()).hexdigest() != token  # only the hash is kept (see the PostgreSQL probe)
