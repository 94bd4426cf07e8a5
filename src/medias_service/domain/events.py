"""Events medias_service publishes for its worker and for other consumers (plain data, serialized by adapters)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class VersionCreated:
    """A version waits for processing (a new upload, a new version, or a restored one that was never ready)."""

    name: ClassVar[str] = "media.version.created"
    media_id: uuid.UUID
    version_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class ReprocessRequested:
    """Someone asked for a version to be processed again (POST /media/{id}/reprocess)."""

    name: ClassVar[str] = "media.version.reprocess"
    media_id: uuid.UUID
    version_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class MediaProcessed:
    name: ClassVar[str] = "media.processed"
    media_id: uuid.UUID
    version_id: uuid.UUID
    owner_id: uuid.UUID
    sizes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MediaFailed:
    name: ClassVar[str] = "media.failed"
    media_id: uuid.UUID
    version_id: uuid.UUID
    owner_id: uuid.UUID
    error: str


Event = VersionCreated | ReprocessRequested | MediaProcessed | MediaFailed
# What the processing queue consumes: both carry the version to process.
ProcessingRequest = VersionCreated | ReprocessRequested
PROCESSING_EVENTS = (VersionCreated.name, ReprocessRequested.name)
