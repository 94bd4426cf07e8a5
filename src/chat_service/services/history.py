"""Appending to a group's history: the next sequence number, then the row, in the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from chat_service.domain.messages import Message, MessageKind, SystemEvent
from chat_service.ports.repositories import MessageRepository
from qhitz_shared.ids import new_id


async def append(
    messages: MessageRepository,
    group_id: uuid.UUID,
    *,
    author_id: uuid.UUID | None,
    text: str = "",
    client_msg_id: str | None = None,
    event: SystemEvent | None = None,
    subject_id: uuid.UUID | None = None,
    read_by: uuid.UUID | None = None,
) -> Message:
    """Stores the message with the group's next seq (locking its counter until the commit); ``read_by``'s read
    marker moves to it."""
    message = Message(
        id=new_id(),
        group_id=group_id,
        seq=0,  # the repository takes the next one
        kind=MessageKind.SYSTEM if event else MessageKind.TEXT,
        author_id=author_id,
        text=text,
        client_msg_id=client_msg_id,
        created_at=datetime.now(UTC),
        event=event,
        subject_id=subject_id,
    )
    return await messages.append(message, read_by=read_by)
