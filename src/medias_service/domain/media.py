"""Media, their versions, their derived sizes and the stored blobs behind them."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from medias_service.domain.processing import MediaInfo


class MediaKind(enum.StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    DOCUMENT = "document"
    OTHER = "other"


class ProcessingStatus(enum.StrEnum):
    """Where a version (and its media, and each size) stands in asynchronous processing."""

    PENDING = "pending"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


@dataclass(slots=True)
class Blob:
    """Stored bytes, once per owner and content (sha256); ``refcount`` counts the versions and sizes using them."""

    id: uuid.UUID
    owner_id: uuid.UUID
    sha256: str
    size: int
    storage_key: str
    refcount: int = 1


@dataclass(slots=True)
class StoredContent:
    """Everything a download needs: where the bytes are and how to describe them."""

    storage_key: str
    size: int
    sha256: str
    content_type: str
    filename: str | None
    last_modified: datetime


@dataclass(slots=True)
class MediaSize:
    """A derived rendition of a version (thumbnail, preview...), produced by processing."""

    id: uuid.UUID
    version_id: uuid.UUID
    name: str
    status: ProcessingStatus = ProcessingStatus.PENDING
    content_type: str | None = None
    width: int | None = None
    height: int | None = None
    size: int | None = None
    sha256: str | None = None
    blob_id: uuid.UUID | None = None
    storage_key: str | None = None
    created_at: datetime | None = None


@dataclass(slots=True)
class MediaVersion:
    id: uuid.UUID
    media_id: uuid.UUID
    number: int
    blob_id: uuid.UUID
    size: int
    sha256: str
    content_type: str
    kind: MediaKind
    original_filename: str | None
    status: ProcessingStatus = ProcessingStatus.PENDING
    error: str | None = None
    restored_from: int | None = None
    storage_key: str = ""
    created_at: datetime | None = None
    sizes: list[MediaSize] = field(default_factory=list)
    info: MediaInfo | None = None
    """What processing learnt about the original; None until it ran."""

    def content(self) -> StoredContent:
        return StoredContent(
            storage_key=self.storage_key,
            size=self.size,
            sha256=self.sha256,
            content_type=self.content_type,
            filename=self.original_filename,
            last_modified=self.created_at or datetime.min,
        )


@dataclass(slots=True)
class Media:
    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    description: str | None = None
    is_public: bool = False
    tags: list[str] = field(default_factory=list)
    current_version: MediaVersion | None = None
    version_count: int = 0
    deleted_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    folder_id: uuid.UUID | None = None

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None

    @property
    def status(self) -> ProcessingStatus:
        return self.current_version.status if self.current_version else ProcessingStatus.PENDING

    def make_current(self, version: MediaVersion) -> None:
        self.current_version = version
        self.version_count = max(self.version_count, version.number)

    def purge_after(self, retention: timedelta) -> datetime | None:
        return self.deleted_at + retention if self.deleted_at else None

    def restorable(self, now: datetime, retention: timedelta) -> bool:
        return self.deleted_at is not None and now < self.deleted_at + retention


def new_storage_key() -> str:
    """A random key, spread over two directory levels; nothing the client sends ever becomes part of it."""
    name = uuid.uuid4().hex
    return f"blobs/{name[:2]}/{name[2:4]}/{name}"
