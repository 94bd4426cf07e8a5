"""Metadata rules, list filters and sorting, upload limits and statistics of the library."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from medias_service.domain.errors import InvalidMediaData
from medias_service.domain.media import MediaKind, ProcessingStatus
from qhitz_shared.text import clean_text

MAX_TITLE = 200
MAX_DESCRIPTION = 5000


def normalize_title(value: str) -> str:
    """NFC, one line (whitespace runs collapsed), 1 to 200 code points, no control characters."""
    title = clean_text(value, field="title", max_length=MAX_TITLE, error=InvalidMediaData)
    if not title:
        raise InvalidMediaData(f"A title has 1 to {MAX_TITLE} characters", field="title")
    return title


def normalize_description(value: str | None) -> str | None:
    """NFC, trimmed, at most 5000 code points; tab and line breaks are kept, other control characters refused."""
    if value is None:
        return None
    description = clean_text(
        value, field="description", max_length=MAX_DESCRIPTION, multiline=True, error=InvalidMediaData
    )
    return description or None


def default_title(filename: str | None) -> str:
    return (filename or "Untitled")[:MAX_TITLE]


@dataclass(frozen=True, slots=True)
class UploadMetadata:
    """The form fields that come with a file; None means 'not given'."""

    title: str | None = None
    description: str | None = None
    tags: list[str] | None = None
    is_public: bool | None = None


@dataclass(frozen=True, slots=True)
class MediaChanges:
    """A PATCH: None means 'leave as is'; ``clear_description`` empties it."""

    title: str | None = None
    description: str | None = None
    clear_description: bool = False
    tags: list[str] | None = None
    is_public: bool | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    max_upload_bytes: int
    storage_quota_bytes: int
    must_verify_email: bool = False  # main_service's require-verified-email flag holds uploads back


@dataclass(frozen=True, slots=True)
class StorageUsage:
    """Bytes stored for an owner (each distinct content once) and the largest single blob, which bounds what a
    duplicate upload can weigh."""

    used_bytes: int = 0
    largest_blob_bytes: int = 0


class SortField(enum.StrEnum):
    CREATED_AT = "created_at"
    TITLE = "title"
    SIZE = "size"


class SortOrder(enum.StrEnum):
    ASC = "asc"
    DESC = "desc"


@dataclass(frozen=True, slots=True)
class MediaFilter:
    owner_id: uuid.UUID | None = None  # None: the caller's own library
    kind: MediaKind | None = None
    tags: tuple[str, ...] = ()
    status: ProcessingStatus | None = None
    is_public: bool | None = None
    q: str | None = None
    created_before: datetime | None = None
    created_after: datetime | None = None
    sort: SortField = SortField.CREATED_AT
    order: SortOrder = SortOrder.DESC


@dataclass(frozen=True, slots=True)
class CountAndBytes:
    count: int = 0
    bytes: int = 0


@dataclass(frozen=True, slots=True)
class MediaStats:
    """Active (not trashed) media by kind and status; ``stored_bytes`` counts each distinct content once, trash
    included; quota is set for one owner's statistics only."""

    total: CountAndBytes
    by_kind: dict[str, CountAndBytes] = field(default_factory=dict)
    by_status: dict[str, CountAndBytes] = field(default_factory=dict)
    in_trash: CountAndBytes = CountAndBytes()
    stored_bytes: int = 0
    quota_bytes: int | None = None
