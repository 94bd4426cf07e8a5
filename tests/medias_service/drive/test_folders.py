"""Folders through HTTP on PostgreSQL and SQLite: names, breadcrumbs and totals, children, moves, trash, media in
folders."""

from __future__ import annotations

import unicodedata

from tests.medias_service.e2e.helpers import upload
from tests.medias_service.support import MODERATOR_PERMISSIONS, multipart_body, multipart_headers, png_bytes

F = "/api/v1/folders"


async def make(client, user, name: str, parent: str | None = None) -> dict:
    response = await client.post(F, json={"name": name, "parent_id": parent}, headers=user.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def upload_into(client, user, folder_id: str | None, size: int = 64, title: str = "m") -> dict:
    fields = [("title", title)] + ([("folder_id", folder_id)] if folder_id else [])
    body = multipart_body(("f.png", None, png_bytes(extra=size)), fields)
    response = await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token))
    assert response.status_code == 201, response.text
    return response.json()


def problem(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


async def test_names_are_nfc_trimmed_and_unique_among_siblings_whatever_the_case(client, make_user):
    user = await make_user()
    cafe = await make(client, user, "  " + unicodedata.normalize("NFD", "Café") + " ")
    assert cafe["name"] == "Café" and unicodedata.is_normalized("NFC", cafe["name"])
    for clash in ("café", "CAFÉ", unicodedata.normalize("NFD", "cAfé")):
        problem(await client.post(F, json={"name": clash}, headers=user.headers), 409, "name_taken")
    inside = await make(client, user, "café", cafe["id"])  # another parent: no clash
    assert inside["parent_id"] == cafe["id"]
    for bad in ("a/b", ".", "..", " ", "x" * 256, "tab\there", "nul\x00"):
        response = await client.post(F, json={"name": bad}, headers=user.headers)
        assert response.status_code in (400, 422), (bad, response.text)
        assert response.json()["code"] in ("invalid_folder_name", "validation_failed")
    other = await make_user()
    assert (await client.post(F, json={"name": "Café"}, headers=other.headers)).status_code == 201  # own root


async def test_breadcrumbs_totals_and_children(client, make_user):
    user = await make_user()
    a = await make(client, user, "a")
    b = await make(client, user, "b", a["id"])
    c = await make(client, user, "c", b["id"])
    in_b = await upload_into(client, user, b["id"], 100)
    in_c = await upload_into(client, user, c["id"], 300)
    await upload_into(client, user, None)  # at the root: not counted under a

    details = (await client.get(f"{F}/{c['id']}", headers=user.headers)).json()
    assert [crumb["name"] for crumb in details["breadcrumbs"]] == ["a", "b"]
    top = (await client.get(f"{F}/{a['id']}", headers=user.headers)).json()
    assert (top["folder_count"], top["media_count"]) == (2, 2)
    assert top["bytes"] == in_b["size"] + in_c["size"]
    assert top["breadcrumbs"] == []

    for name in ("z-sub", "A-sub", "m-sub"):
        await make(client, user, name, b["id"])
    for title in ("zz", "aa"):
        await upload_into(client, user, b["id"], title=title)
    # b holds c + 3 sub-folders, then 3 media (m, zz, aa): folders first, each sorted by name
    page1 = (await client.get(f"{F}/{b['id']}/children?per_page=3", headers=user.headers)).json()
    assert [item["name"] for item in page1["folders"]] == ["A-sub", "c", "m-sub"]
    assert page1["media"] == []
    assert (page1["total"], page1["folder_total"], page1["media_total"]) == (7, 4, 3)
    page2 = (await client.get(f"{F}/{b['id']}/children?per_page=3&page=2", headers=user.headers)).json()
    assert [item["name"] for item in page2["folders"]] == ["z-sub"]
    assert [item["title"] for item in page2["media"]] == ["aa", "m"]
    page3 = (await client.get(f"{F}/{b['id']}/children?per_page=3&page=3", headers=user.headers)).json()
    assert [item["title"] for item in page3["media"]] == ["zz"]
    by_size = (await client.get(f"{F}/{b['id']}/children?sort=size&order=desc", headers=user.headers)).json()
    sizes = [item["size"] for item in by_size["media"]]
    assert sizes == sorted(sizes, reverse=True)
    root = (await client.get(f"{F}/root/children", headers=user.headers)).json()
    assert [item["name"] for item in root["folders"]] == ["a"]
    assert len(root["media"]) == 1 and root["media"][0]["folder_id"] is None
    listed = (await client.get(f"/api/v1/media?folder_id={b['id']}", headers=user.headers)).json()
    assert {item["id"] for item in listed["items"]} >= {in_b["id"]}
    assert all(item["folder_id"] == b["id"] for item in listed["items"])


async def test_moves_renames_and_cycles(client, make_user):
    user = await make_user()
    a = await make(client, user, "a")
    b = await make(client, user, "b", a["id"])
    c = await make(client, user, "c", b["id"])
    for target in (a, b, c):
        problem(
            await client.patch(f"{F}/{a['id']}", json={"parent_id": target["id"]}, headers=user.headers),
            409,
            "folder_cycle",
        )
    moved = await client.patch(f"{F}/{c['id']}", json={"parent_id": None, "name": "C"}, headers=user.headers)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["parent_id"], moved.json()["name"]) == (None, "C")
    await make(client, user, "b")  # a root "b" now exists: moving a/b to the root clashes
    problem(await client.patch(f"{F}/{b['id']}", json={"parent_id": None}, headers=user.headers), 409, "name_taken")
    problem(await client.patch(f"{F}/{b['id']}", json={"name": "  "}, headers=user.headers), 422, "invalid_folder_name")
    media = await upload_into(client, user, None)
    patched = await client.patch(f"/api/v1/media/{media['id']}", json={"folder_id": a["id"]}, headers=user.headers)
    assert patched.status_code == 200 and patched.json()["folder_id"] == a["id"]
    back = await client.patch(f"/api/v1/media/{media['id']}", json={"folder_id": None}, headers=user.headers)
    assert back.json()["folder_id"] is None


async def test_trash_and_restore_a_subtree(client, make_user):
    user = await make_user()
    a = await make(client, user, "a")
    b = await make(client, user, "b", a["id"])
    media = await upload_into(client, user, b["id"])
    gone = await client.delete(f"{F}/{a['id']}", headers=user.headers)
    assert gone.status_code == 200 and gone.json()["trashed_at"]
    assert (await client.get(f"{F}/{b['id']}/children", headers=user.headers)).status_code == 404
    assert (await client.get(f"/api/v1/media/{media['id']}", headers=user.headers)).status_code == 404
    trash = (await client.get("/api/v1/media/trash", headers=user.headers)).json()
    assert [item["id"] for item in trash["items"]] == [media["id"]]
    root = (await client.get(f"{F}/root/children", headers=user.headers)).json()
    assert root["folders"] == [] and root["media"] == []
    problem(await client.delete(f"{F}/{a['id']}", headers=user.headers), 409, "folder_in_trash")
    back = await client.post(f"{F}/{a['id']}/restore", headers=user.headers)
    assert back.status_code == 200 and back.json()["trashed_at"] is None
    restored = (await client.get(f"/api/v1/media/{media['id']}", headers=user.headers)).json()
    assert restored["deleted_at"] is None and restored["folder_id"] == b["id"]
    assert (await client.get(f"{F}/{a['id']}", headers=user.headers)).json()["media_count"] == 1

    # b trashed on its own, then its old parent a: restoring b puts it at the root
    await client.delete(f"{F}/{b['id']}", headers=user.headers)
    await client.delete(f"{F}/{a['id']}", headers=user.headers)
    again = (await client.post(f"{F}/{b['id']}/restore", headers=user.headers)).json()
    assert again["parent_id"] is None
    assert (await client.get(f"/api/v1/media/{media['id']}", headers=user.headers)).json()["folder_id"] == b["id"]


async def test_uploads_into_folders_and_refused_folders(client, make_user):
    user, other = await make_user(), await make_user()
    mine = await make(client, user, "mine")
    theirs = await make(client, other, "theirs")
    assert (await upload_into(client, user, mine["id"]))["folder_id"] == mine["id"]
    body = multipart_body(("f.png", None, png_bytes()), [("folder_id", theirs["id"])])
    problem(
        await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token)), 404, "folder_not_found"
    )
    body = multipart_body(("f.png", None, png_bytes()), [("folder_id", "not-a-uuid")])
    problem(
        await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token)),
        422,
        "invalid_media_data",
    )
    media = await upload(client, user)
    problem(
        await client.patch(f"/api/v1/media/{media['id']}", json={"folder_id": theirs["id"]}, headers=user.headers),
        404,
        "folder_not_found",
    )
    listed = (await client.get("/api/v1/media", headers=user.headers)).json()
    assert len(listed["items"]) == 2  # the refused upload left nothing


async def test_permission_matrix(client, make_user):
    owner, stranger = await make_user(), await make_user()
    moderator = await make_user(MODERATOR_PERMISSIONS)
    reader = await make_user(["media:read"])
    folder = await make(client, owner, "private")
    url = f"{F}/{folder['id']}"
    for method, path, json in (
        ("GET", url, None),
        ("GET", f"{url}/children", None),
        ("PATCH", url, {"name": "x"}),
        ("DELETE", url, None),
        ("POST", f"{url}/restore", None),
        ("POST", F, {"name": "in", "parent_id": folder["id"]}),
    ):
        answer = await client.request(method, path, json=json, headers=stranger.headers)
        problem(answer, 404, "folder_not_found")
    problem(await client.post(F, json={"name": "r"}, headers=reader.headers), 403, "permission_denied")
    others_root = await client.get(f"{F}/root/children?owner_id={owner.id}", headers=stranger.headers)
    problem(others_root, 403, "permission_denied")
    # moderators act on anyone's folders
    assert (await client.get(url, headers=moderator.headers)).status_code == 200
    assert (await client.get(f"{F}/root/children?owner_id={owner.id}", headers=moderator.headers)).json()[
        "folder_total"
    ] == 1
    created = await make(client, moderator, "by-moderator", folder["id"])
    assert created["owner_id"] == str(owner.id)
    assert (await client.patch(url, json={"name": "renamed"}, headers=moderator.headers)).status_code == 200
    assert (await client.delete(url, headers=moderator.headers)).status_code == 200
    assert (await client.post(f"{url}/restore", headers=moderator.headers)).status_code == 200


async def test_stats_add_trash_largest_and_bytes_by_top_folder(client, make_user):
    user = await make_user()
    a = await make(client, user, "a")
    deep = await make(client, user, "deep", a["id"])
    b = await make(client, user, "b")
    sizes = {}
    for folder, extra in ((deep, 900), (a, 100), (b, 500), (None, 50)):
        media = await upload_into(client, user, folder["id"] if folder else None, extra)
        sizes[folder["name"] if folder else None] = media["size"]
    trashed = await upload_into(client, user, None, 20)
    assert (await client.delete(f"/api/v1/media/{trashed['id']}", headers=user.headers)).status_code == 204
    stats = (await client.get("/api/v1/media/stats", headers=user.headers)).json()
    assert stats["trash_bytes"] == trashed["size"]
    assert stats["reserved_bytes"] == 0
    assert stats["free_bytes"] == stats["quota_bytes"] - stats["stored_bytes"]
    assert [item["size"] for item in stats["largest"]] == sorted(sizes.values(), reverse=True)
    assert [(row["name"], row["count"], row["bytes"]) for row in stats["by_folder"]] == [
        (None, 1, sizes[None]),
        ("a", 2, sizes["deep"] + sizes["a"]),
        ("b", 1, sizes["b"]),
    ]
