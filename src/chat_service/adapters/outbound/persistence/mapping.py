"""ORM rows to domain objects and back."""

from __future__ import annotations

from typing import Any

from chat_service.adapters.outbound.persistence.models import GroupModel, MemberModel, MessageModel, PlaybackModel
from chat_service.domain.groups import Group, Member, PlaybackControl, Role
from chat_service.domain.messages import Message, MessageKind, SystemEvent
from chat_service.domain.playback import Item, ItemKind, PlaybackState


def group_of(row: GroupModel) -> Group:
    return Group(
        id=row.id,
        name=row.name,
        description=row.description,
        last_seq=row.last_seq,
        playback_control=PlaybackControl(row.playback_control),
        archived_at=row.archived_at,
        created_at=row.created_at,
    )


def member_of(row: MemberModel) -> Member:
    return Member(row.group_id, row.user_id, Role(row.role), row.last_read_seq)


def message_of(row: MessageModel) -> Message:
    return Message(
        id=row.id,
        group_id=row.group_id,
        seq=row.seq,
        kind=MessageKind(row.kind),
        author_id=row.author_id,
        text=row.text,
        client_msg_id=row.client_msg_id,
        created_at=row.created_at,
        edited_at=row.edited_at,
        deleted_at=row.deleted_at,
        event=SystemEvent(row.event) if row.event else None,
        subject_id=row.subject_id,
    )


def message_columns(message: Message) -> dict[str, Any]:
    """The chat_message columns of ``message``, by name."""
    return {
        "id": message.id,
        "group_id": message.group_id,
        "seq": message.seq,
        "kind": message.kind.value,
        "author_id": message.author_id,
        "text": message.text,
        "client_msg_id": message.client_msg_id,
        "event": message.event.value if message.event else None,
        "subject_id": message.subject_id,
        "created_at": message.created_at,
        "edited_at": message.edited_at,
        "deleted_at": message.deleted_at,
    }


def message_row(message: Message) -> MessageModel:
    return MessageModel(**message_columns(message))


def playback_of(row: PlaybackModel) -> PlaybackState:
    return PlaybackState(
        item=Item(ItemKind(row.item_kind), row.item_ref),
        position_ms=row.position_ms,
        paused=row.paused,
        rate=row.rate,
        at_ms=row.at_ms,
        set_by=row.set_by,
        version=row.version,
    )
