"""Persistence ports: media with their versions, sizes and tags; blobs with reference counts and quota usage."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from medias_service.domain.library import MediaFilter, MediaStats, StorageUsage
from medias_service.domain.media import Blob, Media, MediaSize, MediaVersion
from qhitz_shared.pagination import PageRequest


class MediaRepository(Protocol):
    async def get(self, media_id: uuid.UUID, *, lock: bool = False) -> Media | None:
        """With its current version (and sizes) and tags, trashed or not; ``lock`` holds the row until commit."""
        ...

    async def add(self, media: Media, version: MediaVersion) -> None:
        """Insert a media with its first version, which becomes current."""
        ...

    async def add_version(self, media: Media, version: MediaVersion) -> None:
        """Insert a version and make it current (``media.make_current`` already applied)."""
        ...

    async def save(self, media: Media) -> None:
        """Persist title, description, visibility and trash state."""
        ...

    async def set_tags(self, media: Media, tags: list[str]) -> None:
        """Replace the media's tags (tags belong to the media's owner); drop the owner's tags left unused."""
        ...

    async def list(self, filters: MediaFilter, page: PageRequest) -> tuple[list[Media], int]:
        """Active (not trashed) media of ``filters.owner_id`` matching every filter."""
        ...

    async def list_trash(self, owner_id: uuid.UUID, page: PageRequest) -> tuple[list[Media], int]: ...

    async def versions(self, media_id: uuid.UUID) -> list[MediaVersion]:
        """Every version, newest first, with their sizes."""
        ...

    async def version(self, media_id: uuid.UUID, number: int) -> MediaVersion | None: ...

    async def version_by_id(self, version_id: uuid.UUID) -> MediaVersion | None: ...

    async def save_version_status(self, version: MediaVersion) -> None: ...

    async def lock_version(self, version_id: uuid.UUID) -> bool:
        """Locks the version's media, then the version, for the rest of the transaction (the one lock order of
        every path: media, version, sizes); False when the version is gone."""
        ...

    async def put_size(self, size: MediaSize) -> uuid.UUID | None:
        """Insert or replace the version's size of that name; returns the blob the replaced size used, if any."""
        ...

    async def copy_sizes(self, source: MediaVersion, target: MediaVersion) -> list[uuid.UUID]:
        """Give ``target`` the sizes of ``source`` (same blobs); returns the blob ids now referenced once more."""
        ...

    async def delete(self, media_id: uuid.UUID) -> dict[uuid.UUID, int]:
        """Delete the media with its versions, sizes and tag links; returns how often each blob was referenced."""
        ...

    async def expired_trash(self, deleted_before: datetime, limit: int) -> list[uuid.UUID]: ...

    async def tag_counts(self, owner_id: uuid.UUID) -> list[tuple[str, int]]:
        """The owner's tags used by active media, with how many use each, by name."""
        ...

    async def stats(self, owner_id: uuid.UUID | None) -> MediaStats:
        """Counts and bytes of one owner's media, or of everyone's."""
        ...


class BlobRepository(Protocol):
    async def usage(self, owner_id: uuid.UUID) -> StorageUsage: ...

    async def claim(
        self, owner_id: uuid.UUID, sha256: str, size: int, storage_key: str, quota_bytes: int | None
    ) -> tuple[Blob, bool]:
        """The owner's blob with this content, referenced once more; created (True) when new, in which case its
        size is added to the owner's usage: QuotaExceeded when that would pass ``quota_bytes``."""
        ...

    async def acquire(self, blob_ids: Mapping[uuid.UUID, int]) -> None:
        """Reference existing blobs again (a restored version reuses its blob)."""
        ...

    async def release(self, blob_ids: Mapping[uuid.UUID, int]) -> list[str]:
        """Drop references; blobs no longer referenced are deleted, their bytes leave the owner's usage, and their
        storage keys are queued for deletion (returned) in the same transaction."""
        ...

    async def stored_bytes(self, owner_id: uuid.UUID | None) -> int: ...

    async def garbage(self, limit: int) -> list[str]:
        """Storage keys queued for deletion and not yet confirmed deleted."""
        ...

    async def forget_garbage(self, keys: list[str]) -> None: ...
