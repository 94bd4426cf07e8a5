"""Response and request bodies of the media API (snake_case JSON)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated

import msgspec

from medias_service.domain.library import MAX_DESCRIPTION, MAX_TITLE, CountAndBytes, MediaStats
from medias_service.domain.media import Media, MediaSize, MediaVersion
from medias_service.domain.processing import MediaInfo
from medias_service.domain.tags import MAX_TAG_LENGTH, MAX_TAGS_PER_MEDIA
from qhitz_shared.http.inputs import Text

API = "/api/v1/media"

# The answer structs are never part of a reference cycle, so the garbage collector need not track them
# (gc=False): a page of 50 media makes about 300 of them per request.


class SizeOut(msgspec.Struct, gc=False):
    name: str
    status: str
    content_type: str | None
    format: str | None
    width: int | None
    height: int | None
    size: int | None
    url: str | None

    @classmethod
    def of(cls, media_id: uuid.UUID, size: MediaSize, *, current: bool) -> SizeOut:
        """Only the current version's ready sizes have a download URL."""
        ready = size.status == "ready" and size.storage_key is not None
        return cls(
            name=size.name,
            status=str(size.status),
            content_type=size.content_type,
            format=size.content_type.rpartition("/")[2] if size.content_type else None,
            width=size.width,
            height=size.height,
            size=size.size,
            url=f"{API}/{media_id}/sizes/{size.name}/content" if ready and current else None,
        )


class InfoOut(msgspec.Struct, gc=False):
    """What processing learnt about the original; null fields do not apply (or are unknown)."""

    width: int | None
    height: int | None
    duration_seconds: float | None
    bitrate: int | None
    video_codec: str | None
    audio_codec: str | None
    page_count: int | None

    @classmethod
    def of(cls, info: MediaInfo | None) -> InfoOut | None:
        return None if info is None else msgspec.convert(info, cls, from_attributes=True)


class VersionOut(msgspec.Struct, gc=False):
    number: int
    status: str
    error: str | None
    size: int
    sha256: str
    content_type: str
    kind: str
    original_filename: str | None
    restored_from: int | None
    created_at: datetime | None
    content_url: str
    sizes: list[SizeOut]
    info: InfoOut | None = None

    @classmethod
    def of(cls, version: MediaVersion, *, current: bool = False) -> VersionOut:
        return cls(
            number=version.number,
            status=str(version.status),
            error=version.error,
            size=version.size,
            sha256=version.sha256,
            content_type=version.content_type,
            kind=str(version.kind),
            original_filename=version.original_filename,
            restored_from=version.restored_from,
            created_at=version.created_at,
            content_url=f"{API}/{version.media_id}/versions/{version.number}/content",
            sizes=[SizeOut.of(version.media_id, size, current=current) for size in version.sizes],
            info=InfoOut.of(version.info),
        )


class MediaOut(msgspec.Struct, gc=False):
    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    description: str | None
    is_public: bool
    kind: str | None
    content_type: str | None
    size: int | None
    sha256: str | None
    original_filename: str | None
    status: str
    tags: list[str]
    version_count: int
    current_version: VersionOut | None
    sizes: list[SizeOut]
    content_url: str
    created_at: datetime | None
    updated_at: datetime | None
    deleted_at: datetime | None = None
    purge_after: datetime | None = None
    folder_id: uuid.UUID | None = None
    """The folder holding it; null at the root of the drive."""

    @property
    def in_trash(self) -> bool:
        """For the read rule (domain.permissions.Readable), which hot reads apply to this struct directly."""
        return self.deleted_at is not None

    @classmethod
    def of(cls, media: Media, retention: timedelta | None = None) -> MediaOut:
        version = media.current_version
        current = VersionOut.of(version, current=True) if version else None
        return cls(
            id=media.id,
            owner_id=media.owner_id,
            title=media.title,
            description=media.description,
            is_public=media.is_public,
            kind=str(version.kind) if version else None,
            content_type=version.content_type if version else None,
            size=version.size if version else None,
            sha256=version.sha256 if version else None,
            original_filename=version.original_filename if version else None,
            status=str(media.status),
            tags=media.tags,
            version_count=media.version_count,
            current_version=current,
            sizes=current.sizes if current else [],
            content_url=f"{API}/{media.id}/content",
            created_at=media.created_at,
            updated_at=media.updated_at,
            deleted_at=media.deleted_at,
            purge_after=media.purge_after(retention) if retention else None,
            folder_id=media.folder_id,
        )


TitleText = Text(MAX_TITLE)
DescriptionText = Text(MAX_DESCRIPTION)
TagText = Text(MAX_TAG_LENGTH)
# Before duplicates and blanks are dropped; the rule (at most MAX_TAGS_PER_MEDIA) applies after.
MAX_RAW_TAGS = 5 * MAX_TAGS_PER_MEDIA


class MediaPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change; tags replace the whole set; a null or empty description clears it."""

    title: TitleText | msgspec.UnsetType = msgspec.UNSET
    description: DescriptionText | msgspec.UnsetType | None = msgspec.UNSET
    tags: Annotated[list[TagText], msgspec.Meta(max_length=MAX_RAW_TAGS)] | msgspec.UnsetType = msgspec.UNSET
    is_public: bool | msgspec.UnsetType = msgspec.UNSET
    folder_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET
    """Move it into this folder (null: the root)."""


class TagOut(msgspec.Struct):
    name: str
    count: int


class Tally(msgspec.Struct):
    count: int
    bytes: int

    @classmethod
    def of(cls, value: CountAndBytes) -> Tally:
        return cls(count=value.count, bytes=value.bytes)


class LargestOut(msgspec.Struct):
    id: uuid.UUID
    title: str
    size: int
    folder_id: uuid.UUID | None


class FolderUsageOut(msgspec.Struct):
    """``folder_id`` null: the media at the root itself; otherwise a top-level folder with all below it."""

    folder_id: uuid.UUID | None
    name: str | None
    count: int
    bytes: int


class StatsOut(msgspec.Struct):
    """Counts and bytes of active media; ``in_trash`` / ``trash_bytes`` what the trash holds; ``stored_bytes`` each
    distinct content once (trash included); for one owner also ``quota_bytes``, ``reserved_bytes`` (held by
    uploads in flight), ``free_bytes`` (quota - stored - reserved) and ``by_folder``; ``largest``: the ten largest
    active media."""

    scope: str
    count: int
    bytes: int
    by_kind: dict[str, Tally]
    by_status: dict[str, Tally]
    in_trash: Tally
    stored_bytes: int
    quota_bytes: int | None
    reserved_bytes: int
    free_bytes: int | None
    trash_bytes: int
    largest: list[LargestOut]
    by_folder: list[FolderUsageOut]

    @classmethod
    def of(cls, stats: MediaStats, scope: str) -> StatsOut:
        return cls(
            scope=scope,
            count=stats.total.count,
            bytes=stats.total.bytes,
            by_kind={name: Tally.of(value) for name, value in sorted(stats.by_kind.items())},
            by_status={name: Tally.of(value) for name, value in sorted(stats.by_status.items())},
            in_trash=Tally.of(stats.in_trash),
            stored_bytes=stats.stored_bytes,
            quota_bytes=stats.quota_bytes,
            reserved_bytes=stats.reserved_bytes,
            free_bytes=stats.free_bytes,
            trash_bytes=stats.in_trash.bytes,
            largest=[LargestOut(item.id, item.title, item.size, item.folder_id) for item in stats.largest],
            by_folder=[FolderUsageOut(u.folder_id, u.name, u.count, u.bytes) for u in stats.by_folder],
        )
