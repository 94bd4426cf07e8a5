"""SQLAlchemy models of mediasdb. ORM objects never leave this package."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from qhitz_shared.outbox.store import outbox_table

BIND_KEY = "medias"


def _now() -> datetime:
    return datetime.now(UTC)


class MediasBase(UUIDv7AuditBase):
    __abstract__ = True
    __bind_key__ = BIND_KEY


metadata = MediasBase.metadata


class BlobModel(MediasBase):
    """Stored bytes, once per owner and sha256; refcount = versions and sizes using them."""

    __tablename__ = "blob"
    __table_args__ = (UniqueConstraint("owner_id", "sha256"),)
    owner_id: Mapped[uuid.UUID] = mapped_column(GUID, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    storage_key: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    refcount: Mapped[int] = mapped_column(Integer, default=1, nullable=False)


# Bytes each owner stores (every blob once): updated with a conditional UPDATE, so concurrent uploads cannot
# overrun the quota together.
storage_usage = Table(
    "storage_usage",
    metadata,
    Column("owner_id", GUID, primary_key=True),
    Column("bytes_used", BigInteger, nullable=False, default=0),
    Column("updated_at", DateTimeUTC(timezone=True), nullable=False, default=_now, onupdate=_now),
)

# Storage keys of deleted blobs, queued in the deleting transaction and removed once the object is gone.
storage_garbage = Table(
    "storage_garbage",
    metadata,
    Column("storage_key", String(255), primary_key=True),
    Column("queued_at", DateTimeUTC(timezone=True), nullable=False, default=_now),
)


class MediaModel(MediasBase):
    """A media; kind, type, size, status and filename mirror its current version for filters and sorting."""

    __tablename__ = "media"
    __table_args__ = (
        Index("ix_media_owner_listing", "owner_id", "deleted_at", "created_at"),
        Index("ix_media_deleted_at", "deleted_at"),
    )
    owner_id: Mapped[uuid.UUID] = mapped_column(GUID, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    current_version: Mapped[int] = mapped_column(Integer, nullable=False)
    version_count: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    content_type: Mapped[str] = mapped_column(String(127), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    original_filename: Mapped[str | None] = mapped_column(String(255), nullable=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class MediaVersionModel(MediasBase):
    __tablename__ = "media_version"
    __table_args__ = (UniqueConstraint("media_id", "number"),)
    media_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("media.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    blob_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("blob.id", ondelete="RESTRICT"), nullable=False, index=True)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    content_type: Mapped[str] = mapped_column(String(127), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    original_filename: Mapped[str | None] = mapped_column(String(255), nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    restored_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # What processing learnt about the original (null until it ran, or where it does not apply).
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    duration_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    bitrate: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    video_codec: Mapped[str | None] = mapped_column(String(32), nullable=True)
    audio_codec: Mapped[str | None] = mapped_column(String(32), nullable=True)
    page_count: Mapped[int | None] = mapped_column(Integer, nullable=True)


class MediaSizeModel(MediasBase):
    __tablename__ = "media_size"
    __table_args__ = (UniqueConstraint("version_id", "name"),)
    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("media_version.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    content_type: Mapped[str | None] = mapped_column(String(127), nullable=True)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    size: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    blob_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("blob.id", ondelete="RESTRICT"), nullable=True, index=True
    )


class MediaTagModel(MediasBase):
    """A tag of one owner's library."""

    __tablename__ = "media_tag"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)
    owner_id: Mapped[uuid.UUID] = mapped_column(GUID, nullable=False)
    name: Mapped[str] = mapped_column(String(50), nullable=False)


media_tags_media = Table(
    "media_tags_media",
    metadata,
    Column("media_id", ForeignKey("media.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("media_tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# Events recorded in the transaction that caused them; the relay publishes unsent rows and marks them sent.
outbox_event = outbox_table(metadata)

__all__ = [
    "BIND_KEY",
    "BlobModel",
    "MediaModel",
    "MediaSizeModel",
    "MediaTagModel",
    "MediaVersionModel",
    "media_tags_media",
    "metadata",
    "outbox_event",
    "storage_garbage",
    "storage_usage",
]
