"""MessageService: idempotent sending, keyset history, edits, tombstones and read markers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from chat_service.domain.errors import MessageDeleted, MessageNotFound, NotMessageAuthor
from chat_service.domain.events import MessageEdited, MessagePosted, MessageRemoved
from chat_service.domain.messages import Message, MessageKind, Page, client_message_id, message_text
from chat_service.ports.events import GroupEvents
from chat_service.ports.repositories import (
    DuplicateClientMessage,
    GroupRepository,
    MemberRepository,
    MessageRepository,
)
from chat_service.services.access import membership
from chat_service.services.history import append
from qhitz_shared.ports import UnitOfWork


class MessageService:
    def __init__(
        self,
        groups: GroupRepository,
        members: MemberRepository,
        messages: MessageRepository,
        events: GroupEvents,
        uow: UnitOfWork,
    ) -> None:
        self._groups = groups
        self._members = members
        self._messages = messages
        self._events = events
        self._uow = uow

    async def send(
        self, group_id: uuid.UUID, user_id: uuid.UUID, text: str, client_msg_id: str
    ) -> tuple[Message, bool]:
        """The stored message and whether it is new. A retry with the same ``client_msg_id`` returns the message
        the first attempt stored: the database's unique key refuses the second row (and the sequence number it
        would have taken), so a first send costs no lookup. The sender's read marker moves to it."""
        text, client_msg_id = message_text(text), client_message_id(client_msg_id)
        group, _ = await membership(self._groups, group_id, user_id)
        if group.archived_at is not None:  # a retry of a message sent before the group closed still answers
            existing = await self._messages.by_client_id(group_id, user_id, client_msg_id)
            if existing is not None:
                return existing, False
        group.require_open()
        try:
            message = await append(
                self._messages, group_id, author_id=user_id, text=text, client_msg_id=client_msg_id, read_by=user_id
            )
            await self._uow.commit()
        except DuplicateClientMessage:
            await self._uow.rollback()
            stored = await self._messages.by_client_id(group_id, user_id, client_msg_id)
            assert stored is not None  # the row that made the insert fail
            return stored, False
        await self._events.publish(group_id, MessagePosted(message))
        return message, True

    async def history(self, group_id: uuid.UUID, user_id: uuid.UUID, page: Page) -> Sequence[Message]:
        await membership(self._groups, group_id, user_id)
        return await self._messages.page(group_id, page)

    async def edit(self, group_id: uuid.UUID, user_id: uuid.UUID, seq: int, text: str) -> Message:
        message = await self._own(group_id, user_id, seq)
        edited = replace(message, text=message_text(text), edited_at=datetime.now(UTC))
        await self._messages.save(edited)
        await self._uow.commit()
        await self._events.publish(group_id, MessageEdited(edited))
        return edited

    async def delete(self, group_id: uuid.UUID, user_id: uuid.UUID, seq: int) -> Message:
        """A tombstone: the seq stays, the text goes. Authors delete their own; owners and admins any text."""
        group, member = await membership(self._groups, group_id, user_id)
        group.require_open()
        message = await self._messages.get(group_id, seq)
        if message is None or message.kind is not MessageKind.TEXT:
            raise MessageNotFound(f"No message {seq} in this group")
        if message.author_id != user_id and not member.role.manages:
            raise NotMessageAuthor("Only the author or a group admin can delete a message")
        if message.deleted:
            return message
        tombstone = replace(message, text="", deleted_at=datetime.now(UTC))
        await self._messages.save(tombstone)
        await self._uow.commit()
        await self._events.publish(group_id, MessageRemoved(tombstone))
        return tombstone

    async def mark_read(self, group_id: uuid.UUID, user_id: uuid.UUID, seq: int) -> int:
        """Moves the caller's read marker forward to ``seq`` (capped at the group's last seq); returns it."""
        group, _ = await membership(self._groups, group_id, user_id)
        stored = await self._members.mark_read(group_id, user_id, min(seq, group.last_seq))
        await self._uow.commit()
        return stored

    async def _own(self, group_id: uuid.UUID, user_id: uuid.UUID, seq: int) -> Message:
        group, _ = await membership(self._groups, group_id, user_id)
        group.require_open()
        message = await self._messages.get(group_id, seq)
        if message is None or message.kind is not MessageKind.TEXT:
            raise MessageNotFound(f"No message {seq} in this group")
        if message.author_id != user_id:
            raise NotMessageAuthor("Only the author can edit a message")
        if message.deleted:
            raise MessageDeleted("A deleted message cannot be edited")
        return message
