"""SQLAlchemy models of mediasdb. ORM objects never leave this package."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
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
    # Bytes held by uploads in flight (the sum of the owner's quota_reservation rows): used + reserved <= quota.
    Column("bytes_reserved", BigInteger, nullable=False, default=0, server_default="0"),
    Column("updated_at", DateTimeUTC(timezone=True), nullable=False, default=_now, onupdate=_now),
)

# Storage keys of deleted blobs, queued in the deleting transaction and removed once the object is gone.
storage_garbage = Table(
    "storage_garbage",
    metadata,
    Column("storage_key", String(255), primary_key=True),
    Column("queued_at", DateTimeUTC(timezone=True), nullable=False, default=_now),
)


# Room an upload in flight holds in its owner's quota, reserved before its body is read (QuotaReservations).
quota_reservation = Table(
    "quota_reservation",
    metadata,
    Column("id", GUID, primary_key=True),
    Column("owner_id", GUID, nullable=False, index=True),
    Column("bytes", BigInteger, nullable=False),
    Column("created_at", DateTimeUTC(timezone=True), nullable=False, default=_now),
    Column("expires_at", DateTimeUTC(timezone=True), nullable=False, index=True),
)


class FolderModel(MediasBase):
    """A folder of one owner's drive (parent null: at the root). ``name_key`` is the name case-folded: siblings
    (among folders not in trash) have distinct keys, enforced by two partial unique indexes."""

    __tablename__ = "folder"
    __table_args__ = (
        Index(
            "uq_folder_root_name",
            "owner_id",
            "name_key",
            unique=True,
            postgresql_where=text("parent_id IS NULL AND trashed_at IS NULL"),
            sqlite_where=text("parent_id IS NULL AND trashed_at IS NULL"),
        ),
        Index(
            "uq_folder_sibling_name",
            "parent_id",
            "name_key",
            unique=True,
            postgresql_where=text("parent_id IS NOT NULL AND trashed_at IS NULL"),
            sqlite_where=text("parent_id IS NOT NULL AND trashed_at IS NULL"),
        ),
        Index("ix_folder_parent_id", "parent_id"),
        Index("ix_folder_trash_root_id", "trash_root_id"),
    )
    owner_id: Mapped[uuid.UUID] = mapped_column(GUID, nullable=False, index=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("folder.id", ondelete="SET NULL"), nullable=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    name_key: Mapped[str] = mapped_column(String(1024), nullable=False)
    trashed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    # The folder whose deletion put this one in trash (itself for the top of a trashed subtree).
    trash_root_id: Mapped[uuid.UUID | None] = mapped_column(GUID, nullable=True)


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
    folder_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("folder.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # The folder whose deletion put this media in trash (null when it was trashed on its own).
    trashed_with_folder_id: Mapped[uuid.UUID | None] = mapped_column(GUID, nullable=True, index=True)


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


class ShareLinkModel(MediasBase):
    """A link giving anyone who has it access to one media or one folder; only the token's sha256 is stored."""

    __tablename__ = "share_link"
    __table_args__ = (CheckConstraint("(media_id IS NULL) <> (folder_id IS NULL)", name="one_target"),)
    owner_id: Mapped[uuid.UUID] = mapped_column(GUID, nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    media_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("media.id", ondelete="CASCADE"), nullable=True, index=True
    )
    folder_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("folder.id", ondelete="CASCADE"), nullable=True, index=True
    )
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    max_downloads: Mapped[int | None] = mapped_column(Integer, nullable=True)
    download_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    access_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_access_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    allow_download: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


# Events recorded in the transaction that caused them; the relay publishes unsent rows and marks them sent.
outbox_event = outbox_table(metadata)

__all__ = [
    "BIND_KEY",
    "BlobModel",
    "FolderModel",
    "MediaModel",
    "MediaSizeModel",
    "MediaTagModel",
    "MediaVersionModel",
    "ShareLinkModel",
    "media_tags_media",
    "metadata",
    "outbox_event",
    "quota_reservation",
    "storage_garbage",
    "storage_usage",
]


# tus uploads in progress (and, until they expire, completed ones: a client that lost the last answer can still
# ask for the offset). ``lock_holder``/``locked_until`` is a lease taken by the request sending bytes, so that two
# replicas never append at once; a crashed holder's lease simply runs out.
resumable_upload = Table(
    "resumable_upload",
    metadata,
    Column("id", GUID, primary_key=True),
    Column("owner_id", GUID, nullable=False, index=True),
    Column("length", BigInteger, nullable=False),
    Column("offset", BigInteger, nullable=False, default=0),
    Column("storage_key", String(255), nullable=False, unique=True),
    Column("intent", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
    Column("content_type", String(255), nullable=True),
    Column("head", LargeBinary, nullable=True),
    Column("data_token", String(1024), nullable=True),
    Column("data_parts", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
    Column("media_id", GUID, nullable=True),
    Column("reservation_id", GUID, nullable=True),
    Column("lock_holder", GUID, nullable=True),
    Column("locked_until", DateTimeUTC(timezone=True), nullable=True),
    Column("created_at", DateTimeUTC(timezone=True), nullable=False, default=_now),
    Column("expires_at", DateTimeUTC(timezone=True), nullable=False, index=True),
)
