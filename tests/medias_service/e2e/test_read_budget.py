"""Round-trip budget of the media hot reads, and their answers equal to what the domain model would give.

GET /api/v1/media/{id} is one statement; a page of the library is two (count, page) whatever its length."""

from __future__ import annotations

import uuid

import msgspec
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from medias_service.adapters.inbound.http.dto import MediaOut
from medias_service.adapters.outbound.persistence.models import MediaSizeModel, MediaVersionModel
from medias_service.ports.repositories import MediaRepository
from qhitz_shared.ids import new_id
from tests.medias_service.e2e.helpers import upload
from tests.medias_service.support import png_bytes
from tests.support.statements import recorded_statements

SIZE_NAMES = ("large", "medium", "small", "thumb")


async def add_ready_sizes(engine: AsyncEngine, media_ids: list[str]) -> None:
    """Four stored sizes on each media's version, as the worker would leave them (the version's blob stands in)."""
    async with engine.begin() as connection:
        versions = (
            await connection.execute(
                select(MediaVersionModel.id, MediaVersionModel.blob_id).where(
                    MediaVersionModel.media_id.in_([uuid.UUID(i) for i in media_ids])
                )
            )
        ).all()
        planned = MediaSizeModel.version_id.in_([version_id for version_id, _ in versions])
        await connection.execute(delete(MediaSizeModel).where(planned))  # the upload's pending ones
        await connection.execute(
            insert(MediaSizeModel.__table__),
            [
                {
                    "id": new_id(),
                    "version_id": version_id,
                    "name": name,
                    "status": "ready",
                    "content_type": "image/webp",
                    "width": 64 * n,
                    "height": 48 * n,
                    "size": 1000 * n,
                    "sha256": f"{n:064x}",
                    "blob_id": blob_id,
                }
                for version_id, blob_id in versions
                for n, name in enumerate(SIZE_NAMES, start=1)
            ],
        )


async def model_answer(app, media_id: str) -> dict:
    """What the write side's repository and MediaOut.of make of the media: the answer before the hot path."""
    async with app.state.dishka_container() as request_container:
        found = await (await request_container.get(MediaRepository)).get(uuid.UUID(media_id))
    assert found is not None
    return msgspec.json.decode(msgspec.json.encode(MediaOut.of(found)))


async def test_get_one_is_one_statement_and_matches_the_model(client, make_user, medias_app):
    user = await make_user()
    made = await upload(client, user, png_bytes(extra=7), title="Sized", tags="b-tag,a-tag", description="d")
    bare = await upload(client, user, png_bytes(extra=8), title="No sizes yet")
    engine = await medias_app.state.dishka_container.get(AsyncEngine)
    await add_ready_sizes(engine, [made["id"]])

    for media_id in (made["id"], bare["id"]):
        with recorded_statements(engine) as statements:
            response = await client.get(f"/api/v1/media/{media_id}", headers=user.headers)
        assert response.status_code == 200, response.text
        assert len(statements) == 1, statements
        assert response.json() == await model_answer(medias_app, media_id)
    sized = (await client.get(f"/api/v1/media/{made['id']}", headers=user.headers)).json()
    assert [size["name"] for size in sized["sizes"]] == list(SIZE_NAMES)
    assert sized["tags"] == ["a-tag", "b-tag"]
    assert all(size["url"] for size in sized["sizes"])


async def test_a_page_is_two_statements_whatever_its_length(client, make_user, medias_app):
    user = await make_user()
    made = [await upload(client, user, png_bytes(extra=20 + n), title=f"m{n}", tags=f"t{n},all") for n in range(5)]
    engine = await medias_app.state.dishka_container.get(AsyncEngine)
    await add_ready_sizes(engine, [m["id"] for m in made])

    counts = {}
    for per_page in (1, 5, 50):
        with recorded_statements(engine) as statements:
            response = await client.get("/api/v1/media", params={"per_page": per_page}, headers=user.headers)
        assert response.status_code == 200, response.text
        counts[per_page] = len(statements)
        body = response.json()
        assert body["total"] == 5 and len(body["items"]) == min(per_page, 5)
    assert counts == {1: 2, 5: 2, 50: 2}

    page = (await client.get("/api/v1/media", params={"per_page": 50, "sort": "title"}, headers=user.headers)).json()
    assert [item["title"] for item in page["items"]] == ["m4", "m3", "m2", "m1", "m0"]  # sort title, desc default
    for item in page["items"]:
        assert item == await model_answer(medias_app, item["id"])
        assert len(item["sizes"]) == 4
    second = (await client.get("/api/v1/media", params={"per_page": 2, "page": 2}, headers=user.headers)).json()
    assert [item["id"] for item in second["items"]] == [made[2]["id"], made[1]["id"]]
