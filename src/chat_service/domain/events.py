"""What happened in a group, as plain data: published to the group's subscribers after the commit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from chat_service.domain.groups import Role
from chat_service.domain.messages import Message
from chat_service.domain.playback import PlaybackState


@dataclass(frozen=True)
class MessagePosted:
    message: Message


@dataclass(frozen=True)
class MessageEdited:
    message: Message


@dataclass(frozen=True)
class MessageRemoved:
    message: Message


@dataclass(frozen=True)
class MemberAdded:
    user_id: uuid.UUID
    role: Role
    by: uuid.UUID
    message: Message


@dataclass(frozen=True)
class MemberRemoved:
    """Removed by someone else, or left (``by`` is the member): either way their sockets close."""

    user_id: uuid.UUID
    by: uuid.UUID
    message: Message


@dataclass(frozen=True)
class GroupClosed:
    """Archived: every socket closes."""

    by: uuid.UUID


@dataclass(frozen=True)
class PlaybackChanged:
    """``origin`` is the connection whose command this was (its echo is marked), ``command_id`` the client's."""

    state: PlaybackState
    by: uuid.UUID
    server_time_ms: int
    origin: str | None = None
    command_id: str | None = None


@dataclass(frozen=True)
class Typing:
    user_id: uuid.UUID


@dataclass(frozen=True)
class Presence:
    """A member's socket came or went; ``rtt_ms`` is its latest measured round trip (for scheduling)."""

    user_id: uuid.UUID
    online: bool
    rtt_ms: float = 0.0


GroupEvent = (
    MessagePosted
    | MessageEdited
    | MessageRemoved
    | MemberAdded
    | MemberRemoved
    | GroupClosed
    | PlaybackChanged
    | Typing
    | Presence
)
