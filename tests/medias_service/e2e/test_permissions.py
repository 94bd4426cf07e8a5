"""The permission matrix: who may read, list, edit, delete and upload what. Private media are 404 for others."""

from __future__ import annotations

import pytest

from tests.medias_service.e2e.helpers import upload
from tests.medias_service.support import MODERATOR_PERMISSIONS, multipart_body, multipart_headers, png_bytes


@pytest.fixture
async def world(client, make_user, tokens):
    owner = await make_user()
    other = await make_user()
    moderator = await make_user(MODERATOR_PERMISSIONS)
    powerless = await make_user([])
    private = await upload(client, owner, title="private")
    public = await upload(client, owner, title="public", is_public="true")
    headers = {
        "anonymous": {},
        "owner": owner.headers,
        "other": other.headers,
        "moderator": moderator.headers,
        "powerless": powerless.headers,
        "service": {"Authorization": f"Bearer {tokens.service('auth_service')}"},
        "forged": {"Authorization": "Bearer not-a-token"},
    }
    users = {"owner": owner, "other": other, "moderator": moderator, "powerless": powerless}
    return {"owner": owner, "private": private, "public": public, "headers": headers, "users": users}


@pytest.fixture
def probe(client, world, db_probe, storage_probe):
    """What a refused request could have written, read from outside: both media and their versions (as the
    moderator), every user's rows in the database, and the objects in the storage."""

    async def state() -> dict:
        moderator = world["headers"]["moderator"]
        seen: dict = {}
        for which in ("private", "public"):
            media_id = world[which]["id"]
            for path in (f"/api/v1/media/{media_id}", f"/api/v1/media/{media_id}/versions"):
                response = await client.get(path, headers=moderator)
                body = response.json()
                seen[path] = (response.status_code, body if response.status_code == 200 else body["code"])
        seen["rows"] = {name: await db_probe.counts(user.id) for name, user in world["users"].items()}
        seen["objects"] = sorted(storage_probe.objects())
        return seen

    return state


READS = [
    # (who, media, expected status) for GET metadata, content and versions alike
    ("anonymous", "private", 404),
    ("anonymous", "public", 200),
    ("owner", "private", 200),
    ("other", "private", 404),
    ("other", "public", 200),
    ("moderator", "private", 200),
    ("powerless", "private", 404),
    ("powerless", "public", 200),
    ("service", "private", 404),
    ("forged", "public", 401),
]


async def test_reading(client, world):
    for who, which, expected in READS:
        media = world[which]
        for path in (f"/api/v1/media/{media['id']}", media["content_url"], f"/api/v1/media/{media['id']}/versions"):
            response = await client.get(path, headers=world["headers"][who])
            assert response.status_code == expected, (who, which, path, response.text)
            if expected == 404:
                assert response.json()["code"] == "media_not_found"


WRITES = [
    ("anonymous", "private", 401),
    ("service", "private", 401),
    ("other", "private", 404),  # existence does not leak
    ("other", "public", 403),  # visible, but not theirs
    ("powerless", "public", 403),
    ("owner", "private", 200),
    ("moderator", "private", 200),
]


async def test_editing(client, world, probe):
    before = await probe()
    for who, which, expected in WRITES:
        response = await client.patch(
            f"/api/v1/media/{world[which]['id']}", json={"title": f"by {who}"}, headers=world["headers"][who]
        )
        assert response.status_code == expected, (who, which, response.text)
        if expected >= 400:
            assert await probe() == before, (who, which)


async def test_new_versions(client, world, probe):
    body = multipart_body(("v.png", None, png_bytes(extra=7)))
    before = await probe()
    for who, which, expected in [*WRITES[:5], ("owner", "private", 201), ("moderator", "public", 201)]:
        response = await client.post(
            f"/api/v1/media/{world[which]['id']}/versions",
            content=body,
            headers={**multipart_headers(), **world["headers"][who]},
        )
        assert response.status_code == expected, (who, which, response.text)
        if expected >= 400:
            assert await probe() == before, (who, which)


async def test_deleting(client, world, probe):
    before = await probe()
    for who, which, expected in [*WRITES[:5], ("moderator", "private", 204), ("owner", "public", 204)]:
        response = await client.delete(f"/api/v1/media/{world[which]['id']}", headers=world["headers"][who])
        assert response.status_code == expected, (who, which, response.text)
        if expected >= 400:
            assert await probe() == before, (who, which)
    restore = f"/api/v1/media/{world['private']['id']}/restore"
    trashed = await probe()
    assert (await client.post(restore, headers=world["headers"]["other"])).status_code == 404
    assert await probe() == trashed  # still in the trash
    assert (await client.post(restore, headers=world["headers"]["moderator"])).status_code == 200
    # public media in the trash are nobody's business but their owner's
    trashed = f"/api/v1/media/{world['public']['id']}"
    assert (await client.get(trashed, headers=world["headers"]["anonymous"])).status_code == 404


async def test_uploading(client, world, probe):
    body = multipart_body(("u.png", None, png_bytes()))
    before = await probe()
    for who, expected in [("anonymous", 401), ("service", 401), ("forged", 401), ("powerless", 403), ("other", 201)]:
        response = await client.post(
            "/api/v1/media", content=body, headers={**multipart_headers(), **world["headers"][who]}
        )
        assert response.status_code == expected, (who, response.text)
        if expected >= 400:
            assert await probe() == before, who


async def test_listing_other_libraries(client, world):
    owner_id = str(world["owner"].id)
    for path in ("/api/v1/media", "/api/v1/media/trash"):
        other = await client.get(path, params={"owner_id": owner_id}, headers=world["headers"]["other"])
        assert other.status_code == 403
        moderator = await client.get(path, params={"owner_id": owner_id}, headers=world["headers"]["moderator"])
        assert moderator.status_code == 200
        anonymous = await client.get(path, headers=world["headers"]["anonymous"])
        assert anonymous.status_code == 401
    listed = await client.get("/api/v1/media", params={"owner_id": owner_id}, headers=world["headers"]["moderator"])
    assert {item["id"] for item in listed.json()["items"]} == {world["private"]["id"], world["public"]["id"]}
    own = await client.get("/api/v1/media", headers=world["headers"]["other"])
    assert own.json()["items"] == []
    assert (await client.get("/api/v1/tags", headers=world["headers"]["anonymous"])).status_code == 401
    assert (await client.get("/api/v1/media/stats", headers=world["headers"]["powerless"])).status_code == 403


async def test_a_user_token_without_a_user_id_is_refused(client, world, tokens):
    odd = {"Authorization": f"Bearer {tokens.user('not-a-uuid', perms=MODERATOR_PERMISSIONS)}"}
    for response in (
        await client.get("/api/v1/media", headers=odd),
        await client.get("/api/v1/media/trash", headers=odd),
        await client.post(
            "/api/v1/media",
            content=multipart_body(("u.png", None, png_bytes())),
            headers={**multipart_headers(), **odd},
        ),
    ):
        assert response.status_code == 401, response.text
        assert response.json()["code"] == "invalid_token"
    assert (await client.get(f"/api/v1/media/{world['public']['id']}", headers=odd)).status_code == 200


async def test_a_user_token_without_a_user_id_reads_no_private_media(client, world, tokens):
    """Its subject cannot be anyone's id, so it owns nothing: a private media does not exist for it."""
    odd = {"Authorization": f"Bearer {tokens.user('not-a-uuid', perms=['media:read', 'media:write'])}"}
    private = world["private"]
    for path in (f"/api/v1/media/{private['id']}", private["content_url"], f"/api/v1/media/{private['id']}/versions"):
        response = await client.get(path, headers=odd)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["code"] == "media_not_found"
