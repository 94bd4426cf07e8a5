"""Versions: list them, and make an old one current again (as a new version on the same blob)."""

from __future__ import annotations

import uuid
from collections import Counter

from medias_service.domain.errors import VersionNotFound
from medias_service.domain.media import Media, MediaVersion, ProcessingStatus
from medias_service.domain.permissions import MEDIA_WRITE, can_write
from medias_service.ports.processing import ProcessingRequests
from medias_service.ports.repositories import BlobRepository, MediaRepository
from medias_service.services.access import require, user_of, visible_media
from qhitz_shared.ids import new_id
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal


class VersionService:
    def __init__(
        self, media: MediaRepository, blobs: BlobRepository, processing: ProcessingRequests, uow: UnitOfWork
    ) -> None:
        self._media = media
        self._blobs = blobs
        self._processing = processing
        self._uow = uow

    async def list(self, actor: Principal | None, media_id: uuid.UUID) -> list[MediaVersion]:
        await visible_media(self._media, actor, media_id)
        return await self._media.versions(media_id)

    async def restore(self, actor: Principal, media_id: uuid.UUID, number: int) -> Media:
        """Version ``number`` becomes current again as version n+1 on the same blob. A ready version keeps its
        sizes (same blobs, referenced again); any other is sent to processing like a new upload."""
        media = await visible_media(self._media, user_of(actor), media_id, lock=True)
        require(can_write(actor, media), MEDIA_WRITE)
        source = await self._media.version(media_id, number)
        if source is None:
            raise VersionNotFound(f"Media {media_id} has no version {number}")
        ready = source.status is ProcessingStatus.READY
        version = MediaVersion(
            id=new_id(),
            media_id=media.id,
            number=media.version_count + 1,
            blob_id=source.blob_id,
            size=source.size,
            sha256=source.sha256,
            content_type=source.content_type,
            kind=source.kind,
            original_filename=source.original_filename,
            status=ProcessingStatus.READY if ready else ProcessingStatus.PENDING,
            restored_from=source.number,
            storage_key=source.storage_key,
            info=source.info if ready else None,
        )
        media.make_current(version)
        await self._media.add_version(media, version)
        references = Counter([source.blob_id])
        if ready:
            references.update(await self._media.copy_sizes(source, version))
        await self._blobs.acquire(references)
        if not ready:
            await self._processing.version_created(media, version)
        await self._uow.commit()
        return await visible_media(self._media, actor, media_id)
