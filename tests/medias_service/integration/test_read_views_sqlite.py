"""The hot read views run on SQLite too (make dev): same structs as on PostgreSQL, sizes and tags included."""

from __future__ import annotations

from sqlalchemy import insert

from medias_service.adapters.outbound.persistence import models
from medias_service.adapters.outbound.persistence.views import SqlaMediaViews
from medias_service.domain.library import MediaFilter
from qhitz_shared.db import AutocommitEngine, DatabaseSettings, create_engine
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest


async def test_media_and_page_on_sqlite(tmp_path):
    engine = create_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'medias.db'}"))
    owner, media_id, blob_id, version_id = new_id(), new_id(), new_id(), new_id()
    try:
        async with engine.begin() as connection:
            await connection.run_sync(models.metadata.create_all)
            await connection.execute(
                insert(models.BlobModel.__table__).values(
                    id=blob_id, owner_id=owner, sha256="0" * 64, size=1, storage_key="k", refcount=1
                )
            )
            await connection.execute(
                insert(models.MediaModel.__table__).values(
                    id=media_id,
                    owner_id=owner,
                    title="t",
                    is_public=True,
                    current_version=1,
                    version_count=1,
                    kind="image",
                    content_type="image/png",
                    size=1,
                    status="ready",
                )
            )
            await connection.execute(
                insert(models.MediaVersionModel.__table__).values(
                    id=version_id,
                    media_id=media_id,
                    number=1,
                    blob_id=blob_id,
                    size=1,
                    sha256="0" * 64,
                    content_type="image/png",
                    kind="image",
                    status="ready",
                    width=3,
                )
            )
            await connection.execute(
                insert(models.MediaSizeModel.__table__),
                [
                    {
                        "id": new_id(),
                        "version_id": version_id,
                        "name": "thumb",
                        "status": "ready",
                        "content_type": "image/webp",
                        "width": 2,
                        "blob_id": blob_id,
                    },
                    {
                        "id": new_id(),
                        "version_id": version_id,
                        "name": "large",
                        "status": "pending",
                        "content_type": None,
                        "width": None,
                        "blob_id": None,
                    },
                ],
            )
            tags = [{"id": new_id(), "owner_id": owner, "name": name} for name in ("zeta", "alpha")]
            await connection.execute(insert(models.MediaTagModel.__table__), tags)
            await connection.execute(
                insert(models.media_tags_media), [{"media_id": media_id, "tag_id": tag["id"]} for tag in tags]
            )
        views = SqlaMediaViews(AutocommitEngine(engine))
        one = await views.media(media_id)
        assert one is not None and one.is_public is True and one.tags == ["alpha", "zeta"]
        assert [(s.name, s.width, s.url is not None) for s in one.sizes] == [("large", None, False), ("thumb", 2, True)]
        assert one.current_version is not None and one.current_version.info is not None
        items, total = await views.page(MediaFilter(owner_id=owner), PageRequest(page=1, per_page=50))
        assert (total, items) == (1, [one])
        assert await views.media(new_id()) is None
    finally:
        await engine.dispose()
