"""Trash: delete moves a media there; restore brings it back within the retention; purge removes it for good,
its blobs included once nothing else references them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import structlog

from medias_service.domain.errors import AlreadyInTrash, MediaNotFound, NotInTrash
from medias_service.domain.media import Media
from medias_service.domain.permissions import MEDIA_DELETE, MEDIA_READ_ANY, can_delete, can_see_owner
from medias_service.ports.folders import FolderRepository
from medias_service.ports.repositories import BlobRepository, MediaRepository
from medias_service.ports.storage import MediaStorage
from medias_service.services.access import require, user_of, visible_media
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal

log = structlog.get_logger(__name__)

DEFAULT_RETENTION = timedelta(days=30)


class TrashService:
    """Storage keys of freed blobs are queued in the same transaction that frees them and deleted after the commit;
    a failed deletion stays queued and is retried by ``collect_garbage``."""

    def __init__(
        self,
        media: MediaRepository,
        blobs: BlobRepository,
        storage: MediaStorage,
        uow: UnitOfWork,
        folders: FolderRepository,
        retention: timedelta = DEFAULT_RETENTION,
    ) -> None:
        self._folders = folders
        self._media = media
        self._blobs = blobs
        self._storage = storage
        self._uow = uow
        self.retention = retention

    async def trash(self, actor: Principal, media_id: uuid.UUID) -> Media:
        media = await visible_media(self._media, user_of(actor), media_id, include_trash=True, lock=True)
        require(can_delete(actor, media), MEDIA_DELETE)
        if media.in_trash:
            raise AlreadyInTrash("The media is already in the trash; delete it with ?permanent=true to purge it")
        media.deleted_at = datetime.now(UTC)
        await self._media.save(media)
        await self._uow.commit()
        return media

    async def restore(self, actor: Principal, media_id: uuid.UUID) -> Media:
        media = await visible_media(self._media, user_of(actor), media_id, include_trash=True, lock=True)
        require(can_delete(actor, media), MEDIA_DELETE)
        if not media.in_trash:
            raise NotInTrash("The media is not in the trash")
        if not media.restorable(datetime.now(UTC), self.retention):
            raise MediaNotFound("The media stayed in the trash past its retention and is being purged")
        media.deleted_at = None
        if media.folder_id is not None:  # a folder in trash (or gone) is no place to come back to: the root is
            folder = await self._folders.get(media.folder_id)
            media.folder_id = None if folder is None or folder.in_trash else media.folder_id
        await self._media.save(media)
        await self._uow.commit()
        return media

    async def list_trash(
        self, actor: Principal, owner_id: uuid.UUID | None, page: PageRequest
    ) -> tuple[list[Media], int]:
        actor = user_of(actor)
        owner_id = owner_id or actor.user_id
        require(can_see_owner(actor, owner_id), MEDIA_READ_ANY)
        return await self._media.list_trash(owner_id, page)

    async def purge(self, actor: Principal, media_id: uuid.UUID) -> None:
        media = await visible_media(self._media, user_of(actor), media_id, include_trash=True, lock=True)
        require(can_delete(actor, media), MEDIA_DELETE)
        keys = await self._blobs.release(await self._media.delete(media.id))
        await self._uow.commit()
        await self._delete_objects(keys)

    async def purge_expired(self, now: datetime | None = None, batch: int = 100) -> int:
        """Purge every media trashed longer than the retention, one transaction each; returns how many."""
        cutoff = (now or datetime.now(UTC)) - self.retention
        purged = 0
        while ids := await self._media.expired_trash(cutoff, batch):
            for media_id in ids:
                media = await self._media.get(media_id, lock=True)
                if media is None or media.deleted_at is None or media.deleted_at >= cutoff:
                    await self._uow.rollback()  # restored or purged meanwhile
                    continue
                keys = await self._blobs.release(await self._media.delete(media_id))
                await self._uow.commit()
                await self._delete_objects(keys)
                purged += 1
            if len(ids) < batch:
                break
        await self._folders.purge_trashed(cutoff)
        await self._uow.commit()
        await self.collect_garbage()
        return purged

    async def collect_garbage(self, batch: int = 500) -> int:
        """Retry deleting stored objects whose blobs are gone (after a storage failure)."""
        keys = await self._blobs.garbage(batch)
        await self._uow.rollback()
        await self._delete_objects(keys)
        return len(keys)

    async def _delete_objects(self, keys: list[str]) -> None:
        if not keys:
            return
        try:
            await self._storage.delete(keys)
        except Exception as exc:
            log.warning("storage_delete_failed", keys=len(keys), error=repr(exc))
            return
        await self._blobs.forget_garbage(keys)
        await self._uow.commit()
