"""The JSON shapes chat_service sends: messages and playback states as the HTTP API returns them, and the
WebSocket frames (each an object with a ``type``) from server to client (client to server: ws/commands.py).
README "Chat protocol" documents every one."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from chat_service.domain.events import (
    GroupClosed,
    GroupEvent,
    MemberAdded,
    MemberRemoved,
    MessageEdited,
    MessagePosted,
    MessageRemoved,
    PlaybackChanged,
    Presence,
    Typing,
)
from chat_service.domain.messages import Message
from chat_service.domain.playback import MAX_ITEM_REF, PlaybackState
from qhitz_shared.http.inputs import Opaque


class MessageOut(msgspec.Struct):
    id: uuid.UUID
    group_id: uuid.UUID
    seq: int
    kind: str
    author_id: uuid.UUID | None
    text: str
    client_msg_id: str | None
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    event: str | None
    subject_id: uuid.UUID | None

    @classmethod
    def of(cls, message: Message) -> MessageOut:
        return cls(
            id=message.id,
            group_id=message.group_id,
            seq=message.seq,
            kind=message.kind.value,
            author_id=message.author_id,
            text=message.text,
            client_msg_id=message.client_msg_id,
            created_at=message.created_at,
            edited_at=message.edited_at,
            deleted=message.deleted,
            event=message.event.value if message.event else None,
            subject_id=message.subject_id,
        )


class ItemIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: Annotated[str, msgspec.Meta(max_length=5, pattern="^(media|share)$")]
    ref: Opaque(MAX_ITEM_REF, min_length=1)


class PlaybackOut(msgspec.Struct):
    """At server time ``at_ms`` the item is at ``position_ms`` (ms of media time), running at ``rate`` unless
    ``paused``. A client's position now: position_ms + (server_now_ms - at_ms) * rate when not paused and past
    at_ms."""

    item: ItemIn
    position_ms: int
    paused: bool
    rate: float
    at_ms: int
    set_by: uuid.UUID
    version: int

    @classmethod
    def of(cls, state: PlaybackState) -> PlaybackOut:
        return cls(
            item=ItemIn(state.item.kind.value, state.item.ref),
            position_ms=state.position_ms,
            paused=state.paused,
            rate=state.rate,
            at_ms=state.at_ms,
            set_by=state.set_by,
            version=state.version,
        )


# --- server to client -------------------------------------------------------------------------------------------


class Frame(msgspec.Struct, tag_field="type"):
    pass


class MessageFrame(Frame, tag="message"):
    message: MessageOut


class EditFrame(Frame, tag="edit"):
    message: MessageOut


class DeleteFrame(Frame, tag="delete"):
    message: MessageOut


class MemberAddedFrame(Frame, tag="member_added"):
    user_id: uuid.UUID
    role: str
    by: uuid.UUID
    message: MessageOut


class MemberRemovedFrame(Frame, tag="member_removed"):
    user_id: uuid.UUID
    by: uuid.UUID
    left: bool
    message: MessageOut


class GroupClosedFrame(Frame, tag="group_closed"):
    by: uuid.UUID


class TypingFrame(Frame, tag="typing"):
    user_id: uuid.UUID


class PresenceFrame(Frame, tag="presence"):
    user_id: uuid.UUID
    online: bool
    rtt_ms: float = 0.0


class PlaybackFrame(Frame, tag="playback"):
    state: PlaybackOut | None
    server_time_ms: int
    by: uuid.UUID | None = None
    command_id: str | None = None
    origin: str | None = None  # the connection whose command this is
    echo: bool = False  # true on the frame sent back to that connection


class TimeSyncFrame(Frame, tag="time_sync"):
    """NTP-style: offset = ((server_receive_ms - client_time_ms) + (server_send_ms - t_client_receive)) / 2."""

    client_time_ms: float
    server_receive_ms: int
    server_send_ms: int


class ReadyFrame(Frame, tag="ready"):
    """After the replay: everything up to ``last_seq`` was sent; live frames follow."""

    connection_id: str
    user_id: uuid.UUID
    last_seq: int
    server_time_ms: int


class ErrorFrame(Frame, tag="error"):
    code: str
    detail: str
    command_id: str | None = None
    client_msg_id: str | None = None


def event_frame(event: GroupEvent) -> Frame:
    """The frame every subscriber of the group receives for ``event``."""
    match event:
        case MessagePosted(message):
            return MessageFrame(MessageOut.of(message))
        case MessageEdited(message):
            return EditFrame(MessageOut.of(message))
        case MessageRemoved(message):
            return DeleteFrame(MessageOut.of(message))
        case MemberAdded(user_id, role, by, message):
            return MemberAddedFrame(user_id, role.value, by, MessageOut.of(message))
        case MemberRemoved(user_id, by, message):
            return MemberRemovedFrame(user_id, by, user_id == by, MessageOut.of(message))
        case GroupClosed(by):
            return GroupClosedFrame(by)
        case Typing(user_id):
            return TypingFrame(user_id)
        case Presence(user_id, online, rtt_ms):
            return PresenceFrame(user_id, online, rtt_ms)
        case PlaybackChanged(state, by, server_time_ms, origin, command_id):
            return PlaybackFrame(PlaybackOut.of(state), server_time_ms, by, command_id, origin)
    raise TypeError(f"no frame for {event!r}")


ServerFrame = (
    MessageFrame
    | EditFrame
    | DeleteFrame
    | MemberAddedFrame
    | MemberRemovedFrame
    | GroupClosedFrame
    | TypingFrame
    | PresenceFrame
    | PlaybackFrame
    | TimeSyncFrame
    | ReadyFrame
    | ErrorFrame
)
