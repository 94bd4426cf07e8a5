"""SqlaMediaRepository: media with their versions, sizes and tags."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medias_service.adapters.outbound.persistence.locks import lock_media_of_version
from medias_service.adapters.outbound.persistence.mapping import (
    current_columns,
    load_media,
    load_versions,
    version_columns,
    versions_query,
)
from medias_service.adapters.outbound.persistence.models import (
    MediaModel,
    MediaSizeModel,
    MediaTagModel,
    MediaVersionModel,
    media_tags_media,
)
from medias_service.adapters.outbound.persistence.queries import filtered, media_stats, ordered, tag_counts_query
from medias_service.domain.library import MediaFilter, MediaStats
from medias_service.domain.media import Media, MediaSize, MediaVersion
from qhitz_shared.db import upsert
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest


class SqlaMediaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, media_id: uuid.UUID, *, lock: bool = False) -> Media | None:
        query = select(MediaModel).where(MediaModel.id == media_id).execution_options(populate_existing=True)
        model = await self._session.scalar(query.with_for_update() if lock else query)
        return (await load_media(self._session, [model]))[0] if model else None

    async def add(self, media: Media, version: MediaVersion) -> None:
        model = MediaModel(
            id=media.id,
            owner_id=media.owner_id,
            title=media.title,
            description=media.description,
            is_public=media.is_public,
            folder_id=media.folder_id,
            **current_columns(media),
        )
        self._session.add(model)
        await self._session.flush()
        media.created_at, media.updated_at = model.created_at, model.updated_at
        await self._insert_version(version)

    async def add_version(self, media: Media, version: MediaVersion) -> None:
        await self._insert_version(version)
        await self._session.execute(
            update(MediaModel).where(MediaModel.id == media.id).values(**current_columns(media))
        )

    async def _insert_version(self, version: MediaVersion) -> None:
        model = MediaVersionModel(id=version.id, **version_columns(version))
        self._session.add(model)
        await self._session.flush()
        version.created_at = model.created_at

    async def save(self, media: Media) -> None:
        await self._session.execute(
            update(MediaModel)
            .where(MediaModel.id == media.id)
            .values(
                title=media.title,
                description=media.description,
                is_public=media.is_public,
                deleted_at=media.deleted_at,
                folder_id=media.folder_id,
                **({"trashed_with_folder_id": None} if media.deleted_at is None else {}),
            )
        )

    async def set_tags(self, media: Media, tags: list[str]) -> None:
        await self._session.execute(delete(media_tags_media).where(media_tags_media.c.media_id == media.id))
        if tags:
            await self._session.execute(
                upsert(self._session, MediaTagModel.__table__)
                .values([{"id": new_id(), "owner_id": media.owner_id, "name": name} for name in tags])
                .on_conflict_do_nothing(index_elements=["owner_id", "name"])
            )
            tag_ids = await self._session.scalars(
                select(MediaTagModel.id).where(MediaTagModel.owner_id == media.owner_id, MediaTagModel.name.in_(tags))
            )
            await self._session.execute(
                insert(media_tags_media), [{"media_id": media.id, "tag_id": tag_id} for tag_id in tag_ids]
            )
        await self._drop_unused_tags(media.owner_id)

    async def _drop_unused_tags(self, owner_id: uuid.UUID) -> None:
        used = exists().where(media_tags_media.c.tag_id == MediaTagModel.id)
        await self._session.execute(delete(MediaTagModel).where(MediaTagModel.owner_id == owner_id, ~used))

    async def list(self, filters: MediaFilter, page: PageRequest) -> tuple[list[Media], int]:
        total = await self._session.scalar(filtered(select(func.count(MediaModel.id)), filters)) or 0
        models = await self._session.scalars(
            ordered(filtered(select(MediaModel), filters), filters).offset(page.offset).limit(page.limit)
        )
        return await load_media(self._session, models.all()), total

    async def list_trash(self, owner_id: uuid.UUID, page: PageRequest) -> tuple[list[Media], int]:
        where = (MediaModel.owner_id == owner_id, MediaModel.deleted_at.is_not(None))
        total = await self._session.scalar(select(func.count(MediaModel.id)).where(*where)) or 0
        models = await self._session.scalars(
            select(MediaModel)
            .where(*where)
            .order_by(MediaModel.deleted_at.desc(), MediaModel.id.desc())
            .offset(page.offset)
            .limit(page.limit)
        )
        return await load_media(self._session, models.all()), total

    async def versions(self, media_id: uuid.UUID) -> list[MediaVersion]:
        return await load_versions(
            self._session,
            versions_query().where(MediaVersionModel.media_id == media_id).order_by(MediaVersionModel.number.desc()),
        )

    async def version(self, media_id: uuid.UUID, number: int) -> MediaVersion | None:
        found = await load_versions(
            self._session,
            versions_query().where(MediaVersionModel.media_id == media_id, MediaVersionModel.number == number),
        )
        return found[0] if found else None

    async def version_by_id(self, version_id: uuid.UUID) -> MediaVersion | None:
        found = await load_versions(self._session, versions_query().where(MediaVersionModel.id == version_id))
        return found[0] if found else None

    async def lock_version(self, version_id: uuid.UUID) -> bool:
        return await lock_media_of_version(self._session, version_id)

    async def save_version_status(self, version: MediaVersion) -> None:
        await lock_media_of_version(self._session, version.id)
        await self._session.execute(
            update(MediaVersionModel)
            .where(MediaVersionModel.id == version.id)
            .values(status=str(version.status), error=version.error)
        )
        await self._session.execute(
            update(MediaModel)
            .where(MediaModel.id == version.media_id, MediaModel.current_version == version.number)
            .values(status=str(version.status))
        )

    async def put_size(self, size: MediaSize) -> uuid.UUID | None:
        await lock_media_of_version(self._session, size.version_id)  # first media and version, then the size
        # locked: two jobs on the same version (a reprocess while a job runs) replace each other in turn, each
        # releasing the blob the other stored, instead of both overwriting the same row and leaking one blob
        existing = await self._session.scalar(
            select(MediaSizeModel)
            .where(MediaSizeModel.version_id == size.version_id, MediaSizeModel.name == size.name)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        replaced = existing.blob_id if existing else None
        model = existing or MediaSizeModel(id=size.id, version_id=size.version_id, name=size.name)
        for field in ("content_type", "width", "height", "size", "sha256", "blob_id"):
            setattr(model, field, getattr(size, field))
        model.status = str(size.status)
        self._session.add(model)
        await self._session.flush()
        size.id, size.created_at = model.id, model.created_at
        return replaced

    async def copy_sizes(self, source: MediaVersion, target: MediaVersion) -> list[uuid.UUID]:
        copied = [size for size in source.sizes if size.blob_id is not None]
        for size in copied:
            self._session.add(
                MediaSizeModel(
                    version_id=target.id,
                    name=size.name,
                    status=str(size.status),
                    content_type=size.content_type,
                    width=size.width,
                    height=size.height,
                    size=size.size,
                    sha256=size.sha256,
                    blob_id=size.blob_id,
                )
            )
        await self._session.flush()
        return [size.blob_id for size in copied if size.blob_id is not None]

    async def delete(self, media_id: uuid.UUID) -> dict[uuid.UUID, int]:
        owner_id = await self._session.scalar(select(MediaModel.owner_id).where(MediaModel.id == media_id))
        if owner_id is None:
            return {}
        version_blobs = await self._session.scalars(
            select(MediaVersionModel.blob_id).where(MediaVersionModel.media_id == media_id)
        )
        size_blobs = await self._session.scalars(  # locked, so a job cannot swap a size's blob before the delete
            select(MediaSizeModel.blob_id)
            .join(MediaVersionModel, MediaVersionModel.id == MediaSizeModel.version_id)
            .where(MediaVersionModel.media_id == media_id, MediaSizeModel.blob_id.is_not(None))
            .with_for_update(of=MediaSizeModel)
        )
        references = Counter([*version_blobs, *size_blobs])
        await self._session.execute(delete(MediaModel).where(MediaModel.id == media_id))  # cascades
        await self._drop_unused_tags(owner_id)
        return dict(references)

    async def expired_trash(self, deleted_before: datetime, limit: int) -> list[uuid.UUID]:
        ids = await self._session.scalars(
            select(MediaModel.id)
            .where(MediaModel.deleted_at.is_not(None), MediaModel.deleted_at < deleted_before)
            .order_by(MediaModel.deleted_at)
            .limit(limit)
        )
        return list(ids)

    async def tag_counts(self, owner_id: uuid.UUID) -> list[tuple[str, int]]:
        return [(name, count) for name, count in await self._session.execute(tag_counts_query(owner_id))]

    async def stats(self, owner_id: uuid.UUID | None) -> MediaStats:
        return await media_stats(self._session, owner_id)
