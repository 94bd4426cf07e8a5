"""Appending to a group's history: the next sequence number, then the row, in the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from chat_service.domain.messages import Message, MessageKind, SystemEvent
from chat_service.ports.repositories import GroupRepository, MessageRepository
from qhitz_shared.ids import new_id


async def append(
    groups: GroupRepository,
    messages: MessageRepository,
    group_id: uuid.UUID,
    *,
    author_id: uuid.UUID | None,
    text: str = "",
    client_msg_id: str | None = None,
    event: SystemEvent | None = None,
    subject_id: uuid.UUID | None = None,
) -> Message:
    """Takes the group's next seq (locking its counter until the commit) and stores the message with it."""
    seq = await groups.next_seq(group_id)
    message = Message(
        id=new_id(),
        group_id=group_id,
        seq=seq,
        kind=MessageKind.SYSTEM if event else MessageKind.TEXT,
        author_id=author_id,
        text=text,
        client_msg_id=client_msg_id,
        created_at=datetime.now(UTC),
        event=event,
        subject_id=subject_id,
    )
    await messages.add(message)
    return message
