"""What asynchronous processing reports back: version status and generated sizes."""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator

from medias_service.domain.errors import EmptyFile, MediaNotFound, VersionNotFound
from medias_service.domain.media import MediaSize, MediaVersion, ProcessingStatus, new_storage_key
from medias_service.ports.repositories import BlobRepository, MediaRepository
from medias_service.ports.storage import MediaStorage
from qhitz_shared.ids import new_id
from qhitz_shared.ports import UnitOfWork


class ProcessingService:
    """Used by the processing worker: moves a version through pending → processing → ready/failed and stores
    the sizes it generates. Sizes are stored as the media owner's blobs (deduplicated, counted in their usage)
    but never refused for quota: the owner did not ask for them."""

    def __init__(self, media: MediaRepository, blobs: BlobRepository, storage: MediaStorage, uow: UnitOfWork) -> None:
        self._media = media
        self._blobs = blobs
        self._storage = storage
        self._uow = uow

    async def set_status(
        self, version_id: uuid.UUID, status: ProcessingStatus, error: str | None = None
    ) -> MediaVersion:
        version = await self._version(version_id)
        version.status = status
        version.error = error if status is ProcessingStatus.FAILED else None
        await self._media.save_version_status(version)
        await self._uow.commit()
        return version

    async def add_size(
        self,
        version_id: uuid.UUID,
        name: str,
        content: AsyncIterable[bytes],
        *,
        content_type: str,
        width: int | None = None,
        height: int | None = None,
    ) -> MediaSize:
        version = await self._version(version_id)
        media = await self._media.get(version.media_id)
        if media is None:
            raise MediaNotFound(f"No media with id {version.media_id}")
        await self._uow.rollback()
        sha, counted = hashlib.sha256(), [0]

        async def metered() -> AsyncIterator[bytes]:
            async for chunk in content:
                sha.update(chunk)
                counted[0] += len(chunk)
                yield chunk

        key = new_storage_key()
        await self._storage.write(key, metered())
        try:
            if not counted[0]:
                raise EmptyFile("A size cannot be empty")
            if not await self._media.lock_version(version_id):  # media and version before the blob and the size
                raise VersionNotFound(f"No version with id {version_id}")
            blob, created = await self._blobs.claim(media.owner_id, sha.hexdigest(), counted[0], key, None)
            size = MediaSize(
                id=new_id(),
                version_id=version_id,
                name=name,
                status=ProcessingStatus.READY,
                content_type=content_type,
                width=width,
                height=height,
                size=counted[0],
                sha256=sha.hexdigest(),
                blob_id=blob.id,
                storage_key=blob.storage_key,
            )
            replaced = await self._media.put_size(size)
            keys = await self._blobs.release(Counter([replaced])) if replaced else []
            await self._uow.commit()
        except BaseException:
            await self._uow.rollback()
            await self._storage.delete([key])
            raise
        await self._storage.delete([*keys, *([] if created else [key])])
        if keys:
            await self._blobs.forget_garbage(keys)
            await self._uow.commit()
        return size

    async def _version(self, version_id: uuid.UUID) -> MediaVersion:
        version = await self._media.version_by_id(version_id)
        if version is None:
            raise VersionNotFound(f"No version with id {version_id}")
        return version
