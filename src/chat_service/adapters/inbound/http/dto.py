"""Request and response bodies of chat_service's HTTP API (messages and playback: adapters.frames)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from chat_service.adapters.frames import MessageOut, PlaybackOut
from chat_service.domain.groups import MAX_DESCRIPTION, MAX_NAME, Group, Member
from chat_service.domain.messages import MAX_CLIENT_MSG_ID, MAX_TEXT
from chat_service.ports.repositories import GroupSummary
from qhitz_shared.http.inputs import INT64_MAX, Opaque, Text

API = "/api/v1/groups"
MAX_EMAIL = 320
RoleName = Annotated[str, msgspec.Meta(max_length=6, pattern="^(owner|admin|member)$")]
ControlName = Annotated[str, msgspec.Meta(max_length=8, pattern="^(admins|everyone)$")]
Seq = Annotated[int, msgspec.Meta(ge=0, le=INT64_MAX)]


class GroupCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Text(MAX_NAME, min_length=1)
    description: Text(MAX_DESCRIPTION) = ""


class GroupPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: Text(MAX_NAME, min_length=1) | msgspec.UnsetType = msgspec.UNSET
    description: Text(MAX_DESCRIPTION) | msgspec.UnsetType = msgspec.UNSET
    playback_control: ControlName | msgspec.UnsetType = msgspec.UNSET


class GroupOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    description: str
    last_seq: int
    playback_control: str
    archived: bool
    created_at: datetime | None
    role: str
    last_read_seq: int
    unread_count: int = 0

    @classmethod
    def of(cls, group: Group, member: Member, unread: int | None = None) -> GroupOut:
        return cls(
            id=group.id,
            name=group.name,
            description=group.description,
            last_seq=group.last_seq,
            playback_control=group.playback_control.value,
            archived=group.archived_at is not None,
            created_at=group.created_at,
            role=member.role.value,
            last_read_seq=member.last_read_seq,
            unread_count=unread if unread is not None else max(0, group.last_seq - member.last_read_seq),
        )

    @classmethod
    def of_summary(cls, summary: GroupSummary) -> GroupOut:
        member = Member(summary.group.id, uuid.UUID(int=0), summary.role, summary.last_read_seq)
        return cls.of(summary.group, member, summary.unread_count)


class MemberAdd(msgspec.Struct, forbid_unknown_fields=True):
    email: Text(MAX_EMAIL, min_length=3)
    role: RoleName = "member"


class RolePatch(msgspec.Struct, forbid_unknown_fields=True):
    role: RoleName


class MemberOut(msgspec.Struct):
    user_id: uuid.UUID
    role: str
    last_read_seq: int

    @classmethod
    def of(cls, member: Member) -> MemberOut:
        return cls(member.user_id, member.role.value, member.last_read_seq)


class MessageCreate(msgspec.Struct, forbid_unknown_fields=True):
    text: Text(MAX_TEXT, min_length=1)
    client_msg_id: Opaque(MAX_CLIENT_MSG_ID, min_length=1)


class MessageEdit(msgspec.Struct, forbid_unknown_fields=True):
    text: Text(MAX_TEXT, min_length=1)


class ReadPut(msgspec.Struct, forbid_unknown_fields=True):
    seq: Seq


class ReadOut(msgspec.Struct):
    last_read_seq: int


class PlaybackOutDocument(msgspec.Struct):
    state: PlaybackOut | None
    server_time_ms: int


__all__ = ["MessageOut", "PlaybackOut"]
