"""Downloads: which stored bytes a request may read, then streaming them (whole or a range)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from medias_service.domain.errors import SizeNotFound, VersionNotFound
from medias_service.domain.media import MediaVersion, ProcessingStatus, StoredContent
from medias_service.ports.repositories import MediaRepository
from medias_service.ports.storage import MediaStorage
from medias_service.services.access import visible_media
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal


class DownloadService:
    """Resolves content under the visibility rule, then ends the read transaction so no database connection is
    held while a long stream runs."""

    def __init__(self, media: MediaRepository, storage: MediaStorage, uow: UnitOfWork) -> None:
        self._media = media
        self._storage = storage
        self._uow = uow

    async def content(
        self, actor: Principal | None, media_id: uuid.UUID, *, version: int | None = None, size: str | None = None
    ) -> StoredContent:
        try:
            media = await visible_media(self._media, actor, media_id)
            current = media.current_version
            chosen = current if version is None or (current and current.number == version) else None
            if chosen is None:
                chosen = await self._media.version(media_id, version) if version is not None else None
            if chosen is None:
                raise VersionNotFound(f"Media {media_id} has no version {version}")
            return self._size(chosen, size) if size is not None else chosen.content()
        finally:
            await self._uow.rollback()

    @staticmethod
    def _size(version: MediaVersion, name: str) -> StoredContent:
        for size in version.sizes:
            if size.name == name and size.status is ProcessingStatus.READY and size.storage_key:
                stem = (version.original_filename or "media").rsplit(".", 1)[0]
                return StoredContent(
                    storage_key=size.storage_key,
                    size=size.size or 0,
                    sha256=size.sha256 or "",
                    content_type=size.content_type or "application/octet-stream",
                    filename=f"{stem}-{name}",
                    last_modified=size.created_at or version.content().last_modified,
                )
        raise SizeNotFound(f"Version {version.number} has no ready size named {name!r}")

    def stream(self, content: StoredContent, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        return self._storage.read(content.storage_key, start, end)
