"""ORM rows to domain entities, and the batch loader that assembles media with versions, sizes and tags."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from medias_service.adapters.outbound.persistence.models import (
    BlobModel,
    MediaModel,
    MediaSizeModel,
    MediaTagModel,
    MediaVersionModel,
    media_tags_media,
)
from medias_service.domain.media import Media, MediaKind, MediaSize, MediaVersion, ProcessingStatus
from medias_service.domain.processing import MediaInfo


def size_to_domain(model: MediaSizeModel, storage_key: str | None) -> MediaSize:
    return MediaSize(
        id=model.id,
        version_id=model.version_id,
        name=model.name,
        status=ProcessingStatus(model.status),
        content_type=model.content_type,
        width=model.width,
        height=model.height,
        size=model.size,
        sha256=model.sha256,
        blob_id=model.blob_id,
        storage_key=storage_key,
        created_at=model.created_at,
    )


def version_to_domain(model: MediaVersionModel, storage_key: str, sizes: list[MediaSize]) -> MediaVersion:
    return MediaVersion(
        id=model.id,
        media_id=model.media_id,
        number=model.number,
        blob_id=model.blob_id,
        size=model.size,
        sha256=model.sha256,
        content_type=model.content_type,
        kind=MediaKind(model.kind),
        original_filename=model.original_filename,
        status=ProcessingStatus(model.status),
        error=model.error,
        restored_from=model.restored_from,
        storage_key=storage_key,
        created_at=model.created_at,
        sizes=sizes,
        info=info_to_domain(model),
    )


def info_to_domain(model: MediaVersionModel) -> MediaInfo | None:
    """None until processing recorded something about the original."""
    info = MediaInfo(
        width=model.width,
        height=model.height,
        duration_seconds=model.duration_seconds,
        bitrate=model.bitrate,
        video_codec=model.video_codec,
        audio_codec=model.audio_codec,
        page_count=model.page_count,
    )
    return None if info == MediaInfo() else info


def version_columns(version: MediaVersion) -> dict[str, object]:
    return {
        "media_id": version.media_id,
        "number": version.number,
        "blob_id": version.blob_id,
        "size": version.size,
        "sha256": version.sha256,
        "content_type": version.content_type,
        "kind": str(version.kind),
        "original_filename": version.original_filename,
        "status": str(version.status),
        "error": version.error,
        "restored_from": version.restored_from,
        **info_columns(version.info),
    }


def info_columns(info: MediaInfo | None) -> dict[str, object]:
    info = info or MediaInfo()
    return {
        "width": info.width,
        "height": info.height,
        "duration_seconds": info.duration_seconds,
        "bitrate": info.bitrate,
        "video_codec": info.video_codec,
        "audio_codec": info.audio_codec,
        "page_count": info.page_count,
    }


def current_columns(media: Media) -> dict[str, object]:
    """The media row's copy of its current version, kept for filtering and sorting."""
    version = media.current_version
    assert version is not None
    return {
        "current_version": version.number,
        "version_count": media.version_count,
        "kind": str(version.kind),
        "content_type": version.content_type,
        "size": version.size,
        "status": str(version.status),
        "original_filename": version.original_filename,
    }


async def load_sizes(session: AsyncSession, version_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[MediaSize]]:
    sizes: dict[uuid.UUID, list[MediaSize]] = defaultdict(list)
    if version_ids:
        rows = await session.execute(
            select(MediaSizeModel, BlobModel.storage_key)
            .outerjoin(BlobModel, BlobModel.id == MediaSizeModel.blob_id)
            .where(MediaSizeModel.version_id.in_(version_ids))
            .order_by(MediaSizeModel.name)
        )
        for model, key in rows:
            sizes[model.version_id].append(size_to_domain(model, key))
    return sizes


async def load_versions(session: AsyncSession, query) -> list[MediaVersion]:
    """Versions (with their storage key and sizes) selected by ``query``, a select of (version, storage_key)."""
    rows = (await session.execute(query)).all()
    sizes = await load_sizes(session, [model.id for model, _ in rows])
    return [version_to_domain(model, key, sizes.get(model.id, [])) for model, key in rows]


def versions_query():
    return select(MediaVersionModel, BlobModel.storage_key).join(BlobModel, BlobModel.id == MediaVersionModel.blob_id)


async def load_media(session: AsyncSession, models: Sequence[MediaModel]) -> list[Media]:
    ids = [model.id for model in models]
    if not ids:
        return []
    current = await load_versions(
        session,
        versions_query()
        .join(
            MediaModel,
            and_(MediaModel.id == MediaVersionModel.media_id, MediaModel.current_version == MediaVersionModel.number),
        )
        .where(MediaModel.id.in_(ids)),
    )
    by_media = {version.media_id: version for version in current}
    tags: dict[uuid.UUID, list[str]] = defaultdict(list)
    rows = await session.execute(
        select(media_tags_media.c.media_id, MediaTagModel.name)
        .join(MediaTagModel, MediaTagModel.id == media_tags_media.c.tag_id)
        .where(media_tags_media.c.media_id.in_(ids))
        .order_by(MediaTagModel.name)
    )
    for media_id, name in rows:
        tags[media_id].append(name)
    return [
        Media(
            id=model.id,
            owner_id=model.owner_id,
            title=model.title,
            description=model.description,
            is_public=model.is_public,
            tags=tags.get(model.id, []),
            current_version=by_media.get(model.id),
            version_count=model.version_count,
            deleted_at=model.deleted_at,
            folder_id=model.folder_id,
            created_at=model.created_at,
            updated_at=model.updated_at,
        )
        for model in models
    ]
