"""Messages and playback states in chatdb."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import case, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from chat_service.adapters.outbound.persistence.mapping import message_columns, message_of, message_row, playback_of
from chat_service.adapters.outbound.persistence.models import GroupModel, MemberModel, MessageModel, PlaybackModel
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

    async def append(self, message: Message, *, read_by: uuid.UUID | None = None) -> Message:
        try:
            if self._session.bind is not None and self._session.bind.dialect.name == "postgresql":
                seq = await self._append_at_once(message, read_by)
            else:
                seq = await self._append_in_steps(message, read_by)
        except IntegrityError as exc:
            error = translate_integrity_error(exc, _MESSAGE_ERRORS)
            if error is None:
                raise
            raise error from exc
        return replace(message, seq=seq)

    async def _append_at_once(self, message: Message, read_by: uuid.UUID | None) -> int:
        """PostgreSQL: the counter, the row and the read marker in one statement (data-modifying CTEs run once,
        all or nothing: a refused insert leaves the counter as it was). Inside a CTE the audit column's
        onupdate default cannot be rendered, hence ``updated_at`` given."""
        now = message.created_at
        counter = (
            update(GroupModel)
            .where(GroupModel.id == message.group_id)
            .values(last_seq=GroupModel.last_seq + 1, updated_at=now)
            .returning(GroupModel.last_seq)
            .cte("counter")
        )
        row = {column: value for column, value in message_columns(message).items() if column != "seq"}
        statement = (
            insert(MessageModel)
            .values(**row, updated_at=now, seq=select(counter.c.last_seq).scalar_subquery())
            .returning(MessageModel.seq)
            .add_cte(counter)
        )
        if read_by is not None:
            marker = (
                update(MemberModel)
                .where(
                    MemberModel.group_id == message.group_id,
                    MemberModel.user_id == read_by,
                    MemberModel.last_read_seq < counter.c.last_seq,
                )
                .values(last_read_seq=counter.c.last_seq, updated_at=now)
                .cte("marker")
            )
            statement = statement.add_cte(marker)
        return int((await self._session.execute(statement)).scalar_one())

    async def _append_in_steps(self, message: Message, read_by: uuid.UUID | None) -> int:
        """SQLite (make dev): one writer at a time anyway; the counter, then the row, then the marker."""
        result = await self._session.execute(
            update(GroupModel)
            .where(GroupModel.id == message.group_id)
            .values(last_seq=GroupModel.last_seq + 1)
            .returning(GroupModel.last_seq)
            .execution_options(synchronize_session=False)
        )
        seq = int(result.scalar_one())
        self._session.add(message_row(replace(message, seq=seq)))
        await self._session.flush()
        if read_by is not None:
            await self._session.execute(
                update(MemberModel)
                .where(MemberModel.group_id == message.group_id, MemberModel.user_id == read_by)
                .values(last_read_seq=case((MemberModel.last_read_seq < seq, seq), else_=MemberModel.last_read_seq))
                .execution_options(synchronize_session=False)
            )
        return seq

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
