"""Projects and assets: the owner's only (404 to others), studio:*:any for moderators, search and pagination,
DELETE archives, and an asset refers to a media the caller can read (asked of medias_service with their token)."""

from __future__ import annotations

import httpx
import pytest

from tests.studio_service.conftest import MODERATOR_PERMISSIONS


@pytest.fixture
def http(studio_url):
    with httpx.Client(base_url=studio_url, timeout=30) as client:
        yield client


def test_projects_are_their_owners_and_moderators_see_them(http, make_user) -> None:
    owner, other, moderator = make_user(), make_user(), make_user(MODERATOR_PERMISSIONS)
    created = http.post(
        "/api/v1/projects/", json={"name": "  Cafe\u0301  Noir ", "description": "a short"}, headers=owner.headers
    )
    assert created.status_code == 201, created.text
    project = created.json()
    assert project["name"] == "Café Noir" and project["status"] == "draft"
    url = f"/api/v1/projects/{project['id']}"
    assert http.get(url, headers=other.headers).status_code == 404
    assert http.patch(url, json={"name": "x"}, headers=other.headers).status_code == 404
    assert http.get(url, headers=moderator.headers).status_code == 200
    assert http.get(url).status_code == 401
    found = http.get("/api/v1/projects/", params={"q": "café"}, headers=owner.headers).json()
    assert [p["id"] for p in found["items"]] == [project["id"]]
    assert http.get("/api/v1/projects/", params={"q": "café"}, headers=other.headers).json()["total"] == 0
    everyone = http.get("/api/v1/projects/", params={"owner_id": str(owner.id)}, headers=moderator.headers).json()
    assert everyone["total"] == 1
    edited = http.patch(url, json={"status": "active", "description": ""}, headers=owner.headers).json()
    assert edited["status"] == "active" and edited["description"] == ""
    assert http.delete(url, headers=owner.headers).status_code == 204
    assert http.get(url, headers=owner.headers).json()["status"] == "archived"


def test_pagination_of_projects(http, make_user) -> None:
    owner = make_user()
    for number in range(5):
        assert http.post("/api/v1/projects/", json={"name": f"P{number}"}, headers=owner.headers).status_code == 201
    page = http.get("/api/v1/projects/", params={"page": 2, "per_page": 2}, headers=owner.headers).json()
    assert page["total"] == 5 and page["page"] == 2 and [p["name"] for p in page["items"]] == ["P2", "P1"]


def test_an_asset_needs_a_media_the_caller_can_read(http, medias_server, make_user) -> None:
    owner, other = make_user(), make_user()
    with httpx.Client(base_url=medias_server) as medias:
        uploaded = medias.post("/api/v1/media/", files={"file": ("script.txt", b"FADE IN.\n")}, headers=owner.headers)
        assert uploaded.status_code == 201, uploaded.text
        foreign = medias.post("/api/v1/media/", files={"file": ("x.txt", b"theirs\n")}, headers=other.headers)
    project = http.post("/api/v1/projects/", json={"name": "Assets"}, headers=owner.headers).json()
    url = f"/api/v1/projects/{project['id']}/assets"
    added = http.post(
        url,
        json={
            "media_id": uploaded.json()["id"],
            "kind": "script",
            "metadata": {"scene": "1", "act": "one", "final": True},
        },
        headers=owner.headers,
    )
    assert added.status_code == 201, added.text
    refused = http.post(url, json={"media_id": foreign.json()["id"], "kind": "script"}, headers=owner.headers)
    assert refused.status_code == 404 and refused.json()["code"] == "media_not_found"
    listed = http.get(url, headers=owner.headers).json()
    assert [a["metadata"] for a in listed["items"]] == [{"scene": "1", "act": "one", "final": True}]
    asset_id = added.json()["id"]
    assert http.delete(f"{url}/{asset_id}", headers=other.headers).status_code == 404
    assert http.delete(f"{url}/{asset_id}", headers=owner.headers).status_code == 204
    assert http.get(url, headers=owner.headers).json()["total"] == 0
