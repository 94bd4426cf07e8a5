"""SQLAlchemy models of chatdb. ORM objects never leave this package."""

from __future__ import annotations

import uuid
from datetime import datetime

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

BIND_KEY = "chat"


class ChatBase(UUIDv7AuditBase):
    __abstract__ = True
    __bind_key__ = BIND_KEY


metadata = ChatBase.metadata


class GroupModel(ChatBase):
    __tablename__ = "chat_group"

    name: Mapped[str] = mapped_column(String(400))
    description: Mapped[str] = mapped_column(Text, default="")
    # the last sequence number handed out; UPDATE ... RETURNING takes the next one under the row's lock
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    playback_control: Mapped[str] = mapped_column(String(16), default="admins")
    archived_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class MemberModel(ChatBase):
    __tablename__ = "chat_member"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id", name="uq_chat_member_group_user"),
        Index("ix_chat_member_user_id", "user_id"),
    )

    group_id: Mapped[uuid.UUID] = mapped_column(GUID, ForeignKey("chat_group.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(GUID)
    role: Mapped[str] = mapped_column(String(16))
    last_read_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class MessageModel(ChatBase):
    __tablename__ = "chat_message"
    __table_args__ = (
        UniqueConstraint("group_id", "seq", name="uq_chat_message_group_seq"),
        UniqueConstraint("group_id", "author_id", "client_msg_id", name="uq_chat_message_client_msg_id"),
    )

    group_id: Mapped[uuid.UUID] = mapped_column(GUID, ForeignKey("chat_group.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[uuid.UUID | None] = mapped_column(GUID, nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    client_msg_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    event: Mapped[str | None] = mapped_column(String(32), nullable=True)
    subject_id: Mapped[uuid.UUID | None] = mapped_column(GUID, nullable=True)
    edited_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class PlaybackModel(ChatBase):
    __tablename__ = "chat_playback"

    group_id: Mapped[uuid.UUID] = mapped_column(GUID, ForeignKey("chat_group.id", ondelete="CASCADE"), unique=True)
    item_kind: Mapped[str] = mapped_column(String(16))
    item_ref: Mapped[str] = mapped_column(String(512))
    position_ms: Mapped[int] = mapped_column(BigInteger)
    paused: Mapped[bool] = mapped_column(Boolean)
    rate: Mapped[float] = mapped_column(Float)
    at_ms: Mapped[int] = mapped_column(BigInteger)
    set_by: Mapped[uuid.UUID] = mapped_column(GUID)
    version: Mapped[int] = mapped_column(BigInteger)
