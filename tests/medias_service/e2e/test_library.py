"""The library: filters, sorting, pagination, reading, editing, tags and statistics."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import msgspec

from medias_service.adapters.inbound.http.uploads import UploadSettings
from medias_service.main.app import create_http_app
from tests.medias_service.conftest import SignedTokensProvider
from tests.medias_service.e2e.helpers import upload
from tests.medias_service.support import HTML, SVG, multipart_body, multipart_headers, pdf_bytes, png_bytes
from tests.support.asgi import asgi_client, running


async def ids(client, user, **params) -> list[str]:
    response = await client.get("/api/v1/media", params=params, headers=user.headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_filters(client, make_user):
    user = await make_user()
    cat = await upload(client, user, png_bytes(extra=10), title="Cat on a mat", tags="pets,cats", is_public="true")
    await asyncio.sleep(0.01)
    middle = datetime.now(UTC)
    await asyncio.sleep(0.01)
    dog = await upload(client, user, png_bytes(extra=20), title="Dog", description="A good dog", tags="pets")
    report = await upload(client, user, pdf_bytes(), filename="Quarterly_Report.pdf", title="Numbers")
    other = await make_user()
    await upload(client, other, png_bytes(), title="Cat of someone else", tags="pets,cats")

    assert await ids(client, user) == [report["id"], dog["id"], cat["id"]]  # newest first by default
    assert await ids(client, user, kind="image") == [dog["id"], cat["id"]]
    assert await ids(client, user, kind="document") == [report["id"]]
    assert await ids(client, user, tag="pets") == [dog["id"], cat["id"]]
    assert await ids(client, user, tag=["pets", "cats"]) == [cat["id"]]  # all must match
    assert await ids(client, user, tag=["PETS ", "dogs"]) == []
    assert await ids(client, user, is_public="true") == [cat["id"]]
    assert await ids(client, user, is_public="false") == [report["id"], dog["id"]]
    assert await ids(client, user, q="CAT") == [cat["id"]]  # title, case-insensitive
    assert await ids(client, user, q="good") == [dog["id"]]  # description
    assert await ids(client, user, q="quarterly_") == [report["id"]]  # filename, "_" is literal
    assert await ids(client, user, q="%") == []
    assert await ids(client, user, status="pending") == [report["id"], dog["id"], cat["id"]]
    assert await ids(client, user, status="ready") == []
    assert await ids(client, user, created_after=middle.isoformat()) == [report["id"], dog["id"]]
    assert await ids(client, user, created_before=middle.isoformat()) == [cat["id"]]
    bad = await client.get("/api/v1/media", params={"kind": "hologram"}, headers=user.headers)
    assert bad.status_code == 400
    assert bad.json()["code"] == "validation_failed"


async def test_sorting_and_pagination(client, make_user):
    user = await make_user()
    sizes = [300, 100, 200, 500, 400]
    titles = ["delta", "Alpha", "charlie", "echo", "bravo"]
    made = [await upload(client, user, png_bytes(extra=s), title=t) for s, t in zip(sizes, titles, strict=True)]
    by_id = {m["id"]: m for m in made}

    async def titles_of(**params) -> list[str]:
        return [by_id[i]["title"] for i in await ids(client, user, **params)]

    assert await titles_of(sort="title", order="asc") == ["Alpha", "bravo", "charlie", "delta", "echo"]
    assert await titles_of(sort="title", order="desc") == ["echo", "delta", "charlie", "bravo", "Alpha"]
    assert await titles_of(sort="size", order="asc") == ["Alpha", "charlie", "delta", "bravo", "echo"]
    assert await titles_of(sort="created_at", order="asc") == titles
    page = await client.get(
        "/api/v1/media", params={"sort": "title", "order": "asc", "page": 2, "per_page": 2}, headers=user.headers
    )
    body = page.json()
    assert (body["total"], body["page"], body["per_page"]) == (5, 2, 2)
    assert [item["title"] for item in body["items"]] == ["charlie", "delta"]
    last = await client.get("/api/v1/media", params={"page": 3, "per_page": 2}, headers=user.headers)
    assert len(last.json()["items"]) == 1
    too_many = await client.get("/api/v1/media", params={"per_page": 101}, headers=user.headers)
    assert too_many.status_code == 400


async def test_get_and_patch(client, make_user):
    user = await make_user()
    media = await upload(client, user, title="Before", description="old", tags="a,b")
    url = f"/api/v1/media/{media['id']}"
    got = (await client.get(url, headers=user.headers)).json()
    assert got == media | {"updated_at": got["updated_at"]}
    patched = await client.patch(
        url, json={"title": "  After  ", "tags": ["B", "c", "c"], "is_public": True}, headers=user.headers
    )
    assert patched.status_code == 200, patched.text
    doc = patched.json()
    assert (doc["title"], doc["description"], doc["tags"], doc["is_public"]) == ("After", "old", ["b", "c"], True)
    cleared = (await client.patch(url, json={"description": None, "tags": []}, headers=user.headers)).json()
    assert cleared["description"] is None
    assert cleared["tags"] == []
    for body, code in (
        ({"title": ""}, "invalid_media_data"),
        ({"tags": ["x" * 51]}, "invalid_tag"),
        ({"tags": [str(n) for n in range(21)]}, "invalid_tag"),
    ):
        response = await client.patch(url, json=body, headers=user.headers)
        assert response.status_code == 422, body
        assert response.json()["code"] == code
    unknown = await client.patch(url, json={"owner_id": str(user.id)}, headers=user.headers)
    assert unknown.status_code == 400


async def test_tags_with_counts(client, make_user):
    user = await make_user()
    first = await upload(client, user, tags="Travel, sea")
    await upload(client, user, tags="travel")
    await upload(client, await make_user(), tags="travel,secret")
    response = await client.get("/api/v1/tags", headers=user.headers)
    assert response.json() == [{"name": "sea", "count": 1}, {"name": "travel", "count": 2}]
    await client.patch(f"/api/v1/media/{first['id']}", json={"tags": ["sea"]}, headers=user.headers)
    await client.delete(f"/api/v1/media/{first['id']}", headers=user.headers)  # trashed media are not counted
    assert (await client.get("/api/v1/tags", headers=user.headers)).json() == [{"name": "travel", "count": 1}]


async def test_stats(client, make_user, db_probe):
    user = await make_user()
    image = png_bytes(extra=1000)
    await upload(client, user, image)
    await upload(client, user, image)  # the same bytes: stored once
    pdf = pdf_bytes(extra=500)
    trashed = await upload(client, user, pdf)
    await client.delete(f"/api/v1/media/{trashed['id']}", headers=user.headers)
    stats = (await client.get("/api/v1/media/stats", headers=user.headers)).json()
    assert stats["scope"] == "own"
    assert (stats["count"], stats["bytes"]) == (2, 2 * len(image))
    assert stats["by_kind"] == {"image": {"count": 2, "bytes": 2 * len(image)}}
    assert stats["by_status"] == {"pending": {"count": 2, "bytes": 2 * len(image)}}
    assert stats["in_trash"] == {"count": 1, "bytes": len(pdf)}
    assert stats["stored_bytes"] == len(image) + len(pdf)
    assert stats["quota_bytes"] == 1024 * 1024 * 1024

    forbidden = await client.get("/api/v1/media/stats", params={"scope": "global"}, headers=user.headers)
    assert forbidden.status_code == 403
    admin = await make_user(["media:read", "media:read:any"])
    everyone = (await client.get("/api/v1/media/stats", params={"scope": "global"}, headers=admin.headers)).json()
    [[count, total]] = await db_probe.fetch(
        "SELECT count(*), coalesce(sum(size), 0) FROM media WHERE deleted_at IS NULL"
    )
    [[stored]] = await db_probe.fetch("SELECT coalesce(sum(bytes_used), 0) FROM storage_usage")
    assert (everyone["scope"], everyone["count"], everyone["bytes"]) == ("global", count, total)
    assert everyone["stored_bytes"] == stored
    assert everyone["quota_bytes"] is None


async def test_svg_is_an_image_served_as_attachment(client, make_user):
    user = await make_user()
    media = await upload(client, user, SVG, filename="logo.svg")
    assert (media["kind"], media["content_type"]) == ("image", "image/svg+xml")
    response = await client.get(media["content_url"], headers=user.headers)
    assert response.headers["content-disposition"] == "attachment; filename=\"logo.svg\"; filename*=UTF-8''logo.svg"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]


async def test_the_allow_list_comes_from_configuration(medias_settings, service_tokens, make_user):
    settings = msgspec.structs.replace(medias_settings, upload=UploadSettings(allowed_types=["text/html"]))
    app = create_http_app(settings, overrides=[SignedTokensProvider(service_tokens)])
    async with running(app), asgi_client(app, "http://medias") as client:
        user = await make_user()
        page = await upload(client, user, HTML, filename="page.html")
        assert (page["kind"], page["content_type"]) == ("document", "text/html")
        response = await client.get(page["content_url"], headers=user.headers)
        assert response.content == HTML
        assert response.headers["content-disposition"].startswith("attachment")
        refused = await client.post(
            "/api/v1/media",
            content=multipart_body(("p.png", None, png_bytes())),
            headers=multipart_headers(user.token),
        )
        assert refused.status_code == 415
