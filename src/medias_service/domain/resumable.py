"""A resumable (tus) upload: bytes announced at creation, received in any number of requests, then committed as
a media or a new version exactly as a multipart upload would be."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from medias_service.domain.errors import UploadLengthExceeded, UploadOffsetMismatch
from medias_service.domain.library import UploadMetadata


@dataclass(frozen=True, slots=True)
class UploadIntent:
    """What the client said at creation (tus Upload-Metadata), already validated. ``media_id`` set: the bytes
    become a new version of that media; else a new media with ``metadata`` (its folder included)."""

    metadata: UploadMetadata
    filename: str | None = None
    declared_type: str | None = None
    media_id: uuid.UUID | None = None


@dataclass(slots=True)
class PartialData:
    """Where the received bytes are, as the storage backend records it: ``token`` names its partial object (an
    S3 multipart upload id; None on the local disk) and ``parts`` the parts already stored (S3 ETags)."""

    token: str | None = None
    parts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ResumableUpload:
    """``offset`` bytes of ``length`` are stored (durably: a restarted or another replica resumes from there).
    ``storage_key`` is the final object's key, chosen at creation. ``content_type`` is decided from the first
    bytes (``head`` keeps them until there are enough to sniff)."""

    id: uuid.UUID
    owner_id: uuid.UUID
    length: int
    intent: UploadIntent
    storage_key: str
    expires_at: datetime
    offset: int = 0
    content_type: str | None = None
    head: bytes = b""
    data: PartialData = field(default_factory=PartialData)
    media_id: uuid.UUID | None = None
    """The media it became, once complete."""
    reservation_id: uuid.UUID | None = None
    """The quota reservation holding ``length`` bytes until the upload completes, ends or expires."""

    @property
    def complete(self) -> bool:
        return self.media_id is not None

    def check_patch(self, offset: int, announced: int | None) -> None:
        """A PATCH continues exactly where the stored bytes end, and never goes past ``length``."""
        if offset != self.offset:
            raise UploadOffsetMismatch(
                f"The upload is at offset {self.offset}, not {offset}", expected_offset=self.offset
            )
        if announced is not None and offset + announced > self.length:
            raise UploadLengthExceeded(f"The upload has {self.length} bytes", upload_length=self.length)

    def expired(self, now: datetime) -> bool:
        return self.expires_at <= now

    def extend(self, now: datetime, ttl: timedelta, step: timedelta = timedelta(0)) -> bool:
        """Every request that stores bytes gives the upload at least another ``ttl`` to be resumed. The expiry
        moves in steps: only when it is less than ``ttl`` away, then to ``ttl + step`` (so most requests leave it,
        and what follows it, unchanged). True when it moved."""
        if self.expires_at >= now + ttl:
            return False
        self.expires_at = now + ttl + step
        return True
