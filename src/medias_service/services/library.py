"""The library: one media, lists with filters, edits, tags and statistics."""

from __future__ import annotations

import dataclasses
import uuid

from medias_service.domain.library import (
    MediaChanges,
    MediaFilter,
    MediaStats,
    normalize_description,
    normalize_title,
)
from medias_service.domain.media import Media
from medias_service.domain.permissions import MEDIA_READ, MEDIA_READ_ANY, MEDIA_WRITE, can_write
from medias_service.domain.tags import normalize_tags
from medias_service.ports.directory import OwnerLimits
from medias_service.ports.folders import FolderRepository
from medias_service.ports.repositories import BlobRepository, MediaRepository
from medias_service.services.access import library_scope, require, user_of, visible_media
from medias_service.services.folders import destination
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal


class MediaLibrary:
    """Reads and edits media metadata; every read goes through the visibility rule (404 when not visible)."""

    def __init__(
        self,
        media: MediaRepository,
        blobs: BlobRepository,
        limits: OwnerLimits,
        uow: UnitOfWork,
        folders: FolderRepository,
    ) -> None:
        self._folders = folders
        self._media = media
        self._blobs = blobs
        self._limits = limits
        self._uow = uow

    async def get(self, actor: Principal | None, media_id: uuid.UUID) -> Media:
        return await visible_media(self._media, actor, media_id)

    async def list(self, actor: Principal, filters: MediaFilter, page: PageRequest) -> tuple[list[Media], int]:
        """``filters.owner_id`` is the library listed: the caller's own (None), or anyone's with media:read:any."""
        return await self._media.list(library_scope(actor, filters), page)

    async def update(self, actor: Principal, media_id: uuid.UUID, changes: MediaChanges) -> Media:
        media = await visible_media(self._media, user_of(actor), media_id, lock=True)
        require(can_write(actor, media), MEDIA_WRITE)
        if changes.title is not None:
            media.title = normalize_title(changes.title)
        if changes.clear_description:
            media.description = None
        elif changes.description is not None:
            media.description = normalize_description(changes.description)
        if changes.is_public is not None:
            media.is_public = changes.is_public
        if changes.move:
            media.folder_id = await destination(self._folders, media.owner_id, changes.folder_id)
        await self._media.save(media)
        if changes.tags is not None:
            media.tags = normalize_tags(changes.tags)
            await self._media.set_tags(media, media.tags)
        await self._uow.commit()
        return media

    async def tags(self, actor: Principal) -> list[tuple[str, int]]:
        actor = user_of(actor)
        require(actor.has(MEDIA_READ), MEDIA_READ)
        return await self._media.tag_counts(actor.user_id)

    async def stats(self, actor: Principal, *, everyone: bool = False) -> MediaStats:
        """The caller's statistics with their quota, or everyone's with media:read:any."""
        actor = user_of(actor)
        if everyone:
            require(actor.has(MEDIA_READ_ANY), MEDIA_READ_ANY)
            stats = await self._media.stats(None)
            return dataclasses.replace(stats, stored_bytes=await self._blobs.stored_bytes(None))
        require(actor.has(MEDIA_READ), MEDIA_READ)
        stats = await self._media.stats(actor.user_id)
        usage = await self._blobs.usage(actor.user_id)
        limits = await self._limits.of(actor.user_id)
        return dataclasses.replace(
            stats,
            stored_bytes=usage.used_bytes,
            quota_bytes=limits.storage_quota_bytes,
            reserved_bytes=usage.reserved_bytes,
        )
