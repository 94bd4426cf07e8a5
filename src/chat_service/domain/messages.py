"""Messages: text members send, system lines the group's history records, and their sequence numbers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chat_service.domain.errors import InvalidChatInput
from qhitz_shared.text import clean_text

MAX_TEXT = 4_000
MAX_CLIENT_MSG_ID = 64
MAX_PAGE = 100


class MessageKind(StrEnum):
    TEXT = "text"
    SYSTEM = "system"


class SystemEvent(StrEnum):
    """What a system message records; ``subject_id`` is the member concerned, ``author_id`` who did it."""

    MEMBER_ADDED = "member_added"
    MEMBER_REMOVED = "member_removed"
    MEMBER_LEFT = "member_left"


@dataclass(frozen=True)
class Message:
    """One entry of a group's history. ``seq`` is the group's own counter (1, 2, ...): order is by seq, never by
    time. A deleted message keeps its seq and loses its text (a tombstone)."""

    id: uuid.UUID
    group_id: uuid.UUID
    seq: int
    kind: MessageKind
    author_id: uuid.UUID | None
    text: str
    client_msg_id: str | None
    created_at: datetime
    edited_at: datetime | None = None
    deleted_at: datetime | None = None
    event: SystemEvent | None = None
    subject_id: uuid.UUID | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


def message_text(value: str) -> str:
    """1 to 4,000 characters of NFC text; line breaks kept, surrounding whitespace trimmed."""
    text = clean_text(value, field="text", max_length=MAX_TEXT, multiline=True, error=InvalidChatInput)
    if not text:
        raise InvalidChatInput("text cannot be empty", field="text")
    return text


def client_message_id(value: str) -> str:
    if not value or len(value) > MAX_CLIENT_MSG_ID or not value.isascii() or not value.isprintable():
        raise InvalidChatInput(
            f"client_msg_id is 1 to {MAX_CLIENT_MSG_ID} printable ASCII characters", field="client_msg_id"
        )
    return value


@dataclass(frozen=True)
class Page:
    """Keyset page of a group's history: ``before_seq`` (newest first, the default) or ``after_seq`` (oldest
    first, what a reconnecting client replays)."""

    before_seq: int | None = None
    after_seq: int | None = None
    limit: int = 50

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_PAGE:
            raise InvalidChatInput(f"limit is 1 to {MAX_PAGE}", field="limit")

    @property
    def ascending(self) -> bool:
        return self.after_seq is not None and self.before_seq is None
