"""The library's read queries: filtered lists, tag counts and statistics."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, and_, func, or_, select

from medias_service.adapters.outbound.persistence.models import (
    FolderModel,
    MediaModel,
    MediaTagModel,
    media_tags_media,
)
from medias_service.domain.library import (
    CountAndBytes,
    FolderUsage,
    LargestMedia,
    MediaFilter,
    MediaStats,
    SortField,
    SortOrder,
)
from qhitz_shared.db import escape_like

_SORT_COLUMNS = {
    SortField.CREATED_AT: MediaModel.created_at,
    SortField.TITLE: func.lower(MediaModel.title),
    SortField.SIZE: MediaModel.size,
    SortField.UPDATED_AT: MediaModel.updated_at,
}


def filtered(query: Select, filters: MediaFilter) -> Select:
    query = query.where(MediaModel.owner_id == filters.owner_id, MediaModel.deleted_at.is_(None))
    if filters.at_root:
        query = query.where(MediaModel.folder_id.is_(None))
    elif filters.folder_id is not None:
        query = query.where(MediaModel.folder_id == filters.folder_id)
    if filters.kind is not None:
        query = query.where(MediaModel.kind == str(filters.kind))
    if filters.status is not None:
        query = query.where(MediaModel.status == str(filters.status))
    if filters.is_public is not None:
        query = query.where(MediaModel.is_public.is_(filters.is_public))
    if filters.created_after is not None:
        query = query.where(MediaModel.created_at > filters.created_after)
    if filters.created_before is not None:
        query = query.where(MediaModel.created_at < filters.created_before)
    if filters.q and filters.q.strip():
        pattern = f"%{escape_like(filters.q.strip().lower())}%"
        query = query.where(
            or_(
                func.lower(MediaModel.title).like(pattern, escape="\\"),
                func.lower(MediaModel.description).like(pattern, escape="\\"),
                func.lower(MediaModel.original_filename).like(pattern, escape="\\"),
            )
        )
    if filters.tags:
        tagged = (
            select(media_tags_media.c.media_id)
            .join(MediaTagModel, MediaTagModel.id == media_tags_media.c.tag_id)
            .where(MediaTagModel.owner_id == filters.owner_id, MediaTagModel.name.in_(filters.tags))
            .group_by(media_tags_media.c.media_id)
            .having(func.count() == len(filters.tags))  # all the tags asked for
        )
        query = query.where(MediaModel.id.in_(tagged))
    return query


def sort_keys(filters: MediaFilter) -> tuple:
    """The ORDER BY of a listing: the sort column, then the id, so pages never overlap."""
    column = _SORT_COLUMNS[filters.sort]
    if filters.order is SortOrder.ASC:
        return column.asc(), MediaModel.id.asc()
    return column.desc(), MediaModel.id.desc()


def ordered(query: Select, filters: MediaFilter) -> Select:
    return query.order_by(*sort_keys(filters))


def tag_counts_query(owner_id: uuid.UUID) -> Select:
    return (
        select(MediaTagModel.name, func.count(MediaModel.id))
        .join(media_tags_media, media_tags_media.c.tag_id == MediaTagModel.id)
        .join(MediaModel, and_(MediaModel.id == media_tags_media.c.media_id, MediaModel.deleted_at.is_(None)))
        .where(MediaTagModel.owner_id == owner_id)
        .group_by(MediaTagModel.name)
        .order_by(MediaTagModel.name)
    )


LARGEST = 10


async def usage_by_top_folder(session, owner_id: uuid.UUID) -> list[FolderUsage]:
    """The root's own media, then each active top-level folder with everything below it, by name."""
    folder = FolderModel.__table__
    top = (
        select(folder.c.id, folder.c.id.label("top"))
        .where(folder.c.owner_id == owner_id, folder.c.parent_id.is_(None), folder.c.trashed_at.is_(None))
        .cte("tree", recursive=True)
    )
    tree = top.union_all(
        select(folder.c.id, top.c.top).join(top, folder.c.parent_id == top.c.id).where(folder.c.trashed_at.is_(None))
    )
    media = select(func.count(MediaModel.id), func.coalesce(func.sum(MediaModel.size), 0)).where(
        MediaModel.owner_id == owner_id, MediaModel.deleted_at.is_(None)
    )
    at_root = (await session.execute(media.where(MediaModel.folder_id.is_(None)))).one()
    per_top = await session.execute(
        select(folder.c.id, folder.c.name, func.count(MediaModel.id), func.coalesce(func.sum(MediaModel.size), 0))
        .select_from(folder)
        .join(tree, tree.c.top == folder.c.id)
        .outerjoin(MediaModel, and_(MediaModel.folder_id == tree.c.id, MediaModel.deleted_at.is_(None)))
        .group_by(folder.c.id, folder.c.name, folder.c.name_key)
        .order_by(folder.c.name_key)
    )
    return [FolderUsage(None, None, at_root[0], int(at_root[1]))] + [
        FolderUsage(folder_id, name, count, int(total)) for folder_id, name, count, total in per_top
    ]


async def media_stats(session, owner_id: uuid.UUID | None) -> MediaStats:
    def scoped(query: Select) -> Select:
        return query.where(MediaModel.owner_id == owner_id) if owner_id is not None else query

    count_bytes = (func.count(MediaModel.id), func.coalesce(func.sum(MediaModel.size), 0))
    active = MediaModel.deleted_at.is_(None)
    by_kind = await session.execute(
        scoped(select(MediaModel.kind, *count_bytes).where(active).group_by(MediaModel.kind))
    )
    by_status = await session.execute(
        scoped(select(MediaModel.status, *count_bytes).where(active).group_by(MediaModel.status))
    )
    trash = (await session.execute(scoped(select(*count_bytes).where(MediaModel.deleted_at.is_not(None))))).one()
    kinds = {name: CountAndBytes(count, int(total)) for name, count, total in by_kind}
    largest = await session.execute(
        scoped(select(MediaModel.id, MediaModel.title, MediaModel.size, MediaModel.folder_id).where(active))
        .order_by(MediaModel.size.desc(), MediaModel.id)
        .limit(LARGEST)
    )
    return MediaStats(
        largest=[LargestMedia(*row) for row in largest],
        by_folder=await usage_by_top_folder(session, owner_id) if owner_id is not None else [],
        total=CountAndBytes(sum(c.count for c in kinds.values()), sum(c.bytes for c in kinds.values())),
        by_kind=kinds,
        by_status={name: CountAndBytes(count, int(total)) for name, count, total in by_status},
        in_trash=CountAndBytes(trash[0], int(trash[1])),
    )
