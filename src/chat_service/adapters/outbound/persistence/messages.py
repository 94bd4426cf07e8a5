"""Messages and playback states in chatdb."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from chat_service.adapters.outbound.persistence.mapping import message_of, message_row, playback_of
from chat_service.adapters.outbound.persistence.models import MessageModel, PlaybackModel
from chat_service.domain.messages import Message, Page
from chat_service.domain.playback import PlaybackState
from chat_service.ports.repositories import DuplicateClientMessage
from qhitz_shared.db import translate_integrity_error

_MESSAGE_ERRORS: dict[str, type[Exception]] = {
    "uq_chat_message_client_msg_id": DuplicateClientMessage,
    "chat_message.client_msg_id": DuplicateClientMessage,  # SQLite names the columns
}


class SqlaMessageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, message: Message) -> None:
        self._session.add(message_row(message))
        try:
            await self._session.flush()
        except IntegrityError as exc:
            error = translate_integrity_error(exc, _MESSAGE_ERRORS)
            if error is None:
                raise
            raise error from exc

    async def get(self, group_id: uuid.UUID, seq: int) -> Message | None:
        row = await self._session.scalar(
            select(MessageModel)
            .where(MessageModel.group_id == group_id, MessageModel.seq == seq)
            .execution_options(populate_existing=True)
        )
        return None if row is None else message_of(row)

    async def by_client_id(self, group_id: uuid.UUID, author_id: uuid.UUID, client_msg_id: str) -> Message | None:
        row = await self._session.scalar(
            select(MessageModel).where(
                MessageModel.group_id == group_id,
                MessageModel.author_id == author_id,
                MessageModel.client_msg_id == client_msg_id,
            )
        )
        return None if row is None else message_of(row)

    async def page(self, group_id: uuid.UUID, page: Page) -> Sequence[Message]:
        query = select(MessageModel).where(MessageModel.group_id == group_id)
        if page.after_seq is not None:
            query = query.where(MessageModel.seq > page.after_seq)
        if page.before_seq is not None:
            query = query.where(MessageModel.seq < page.before_seq)
        order = MessageModel.seq.asc() if page.ascending else MessageModel.seq.desc()
        rows = await self._session.scalars(query.order_by(order).limit(page.limit))
        return [message_of(row) for row in rows]

    async def save(self, message: Message) -> None:
        await self._session.execute(
            update(MessageModel)
            .where(MessageModel.id == message.id)
            .values(text=message.text, edited_at=message.edited_at, deleted_at=message.deleted_at)
            .execution_options(synchronize_session=False)
        )


class SqlaPlaybackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, group_id: uuid.UUID) -> PlaybackState | None:
        row = await self._session.scalar(select(PlaybackModel).where(PlaybackModel.group_id == group_id))
        return None if row is None else playback_of(row)

    async def put(self, group_id: uuid.UUID, state: PlaybackState) -> None:
        values = {
            "item_kind": state.item.kind.value,
            "item_ref": state.item.ref,
            "position_ms": state.position_ms,
            "paused": state.paused,
            "rate": state.rate,
            "at_ms": state.at_ms,
            "set_by": state.set_by,
            "version": state.version,
        }
        row = await self._session.scalar(
            select(PlaybackModel).where(PlaybackModel.group_id == group_id).with_for_update()
        )
        if row is None:
            self._session.add(PlaybackModel(group_id=group_id, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
        await self._session.flush()
