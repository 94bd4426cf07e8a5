"""The permission matrix of the drive, on PostgreSQL and SQLite: every kind of caller against one owner's folder and
share link. Another user's folder or link is 404 (its existence does not leak); moderators (media:*:any) act on
them; tokens that are not users' are 401; a user without the permission is 403 where nothing is looked up."""

from __future__ import annotations

import pytest

from tests.medias_service.drive.test_folders import F, make
from tests.medias_service.drive.test_shares import S, share, upload_file
from tests.medias_service.support import MODERATOR_PERMISSIONS, pdf_bytes


@pytest.fixture
async def world(client, make_user, tokens):
    owner, other = await make_user(), await make_user()
    moderator, powerless = await make_user(MODERATOR_PERMISSIONS), await make_user([])
    folder = await make(client, owner, "private")
    media = await upload_file(client, owner, pdf_bytes(extra=10), folder["id"])
    link = await share(client, owner, folder_id=folder["id"])
    headers = {
        "anonymous": {},
        "forged": {"Authorization": "Bearer not-a-token"},
        "service": {"Authorization": f"Bearer {tokens.service('auth_service')}"},
        "powerless": powerless.headers,
        "other": other.headers,
        "moderator": moderator.headers,
        "owner": owner.headers,
    }
    return {"folder": folder, "media": media, "link": link, "headers": headers, "owner": owner}


# (method, path template, body) → expected status per caller
CASES = [
    ("GET", "{F}/{folder}", None, {"powerless": 404, "other": 404, "moderator": 200, "owner": 200}),
    ("GET", "{F}/{folder}/children", None, {"powerless": 404, "other": 404, "moderator": 200, "owner": 200}),
    ("PATCH", "{F}/{folder}", {"name": "renamed"}, {"powerless": 404, "other": 404, "moderator": 200, "owner": 200}),
    (
        "POST",
        "{F}",
        {"name": "by {who}", "parent_id": "{folder}"},
        {"powerless": 403, "other": 404, "moderator": 201, "owner": 201},
    ),
    ("POST", "{S}", {"folder_id": "{folder}"}, {"powerless": 403, "other": 404, "moderator": 201, "owner": 201}),
    ("PATCH", "{S}/{link}", {"max_downloads": 9}, {"powerless": 404, "other": 404, "moderator": 200, "owner": 200}),
    (
        "PATCH",
        "/api/v1/media/{media}",
        {"folder_id": None},
        {"powerless": 404, "other": 404, "moderator": 200, "owner": 200},
    ),
    # callers in this order: the moderator trashes it, so the owner finds it in the trash already
    ("DELETE", "{F}/{folder}", None, {"powerless": 404, "other": 404, "moderator": 200, "owner": 409}),
]
NOT_USERS = {"anonymous": 401, "forged": 401, "service": 401}


def fill(value, world, who: str = ""):
    names = {"F": F, "S": S, "folder": world["folder"]["id"], "link": world["link"]["id"],
             "media": world["media"]["id"], "who": who}  # fmt: skip
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {key: fill(item, world, who) for key, item in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body", "expected"), CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
async def test_each_caller_gets_what_its_rights_allow(client, world, method, path, body, expected):
    for who, status in {**NOT_USERS, **expected}.items():
        response = await client.request(
            method, fill(path, world), json=fill(body, world, who), headers=world["headers"][who]
        )
        assert response.status_code == status, (who, response.text)
        if status >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_owners_link_list_is_theirs(client, world):
    headers = world["headers"]
    assert (await client.get(S, headers=headers["other"])).json()["total"] == 0
    owner_id = world["owner"].id
    assert (await client.get(f"{S}?owner_id={owner_id}", headers=headers["other"])).status_code == 403
    assert (await client.get(f"{S}?owner_id={owner_id}", headers=headers["moderator"])).json()["total"] == 1
    assert (await client.delete(f"{S}/{world['link']['id']}", headers=headers["other"])).status_code == 404
    assert (await client.get(f"/api/v1/s/{world['link']['token']}")).status_code == 200  # still alive
