"""The outbox table: events inserted in the caller's transaction, read and marked sent by the relay."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import msgspec
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medias_service.adapters.outbound.persistence.models import outbox_event
from medias_service.domain.events import Event
from medias_service.ports.events import OutgoingEvent
from qhitz_shared.ids import new_id


async def record_event(session: AsyncSession, event: Event) -> None:
    await session.execute(
        insert(outbox_event).values(id=new_id(), name=event.name, payload=msgspec.to_builtins(event), attempts=0)
    )


class SqlaOutboxStore:
    """``pending`` locks the rows it returns with FOR UPDATE SKIP LOCKED on PostgreSQL, so several relays share
    the work without publishing a row twice at the same time (SQLite has one writer: nothing to skip)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def pending(self, limit: int) -> list[OutgoingEvent]:
        rows = await self._session.execute(
            select(outbox_event.c.id, outbox_event.c.name, outbox_event.c.payload, outbox_event.c.attempts)
            .where(outbox_event.c.sent_at.is_(None))
            .order_by(outbox_event.c.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [
            OutgoingEvent(id=row.id, name=row.name, body=msgspec.json.encode(row.payload), attempts=row.attempts)
            for row in rows
        ]

    async def mark_sent(self, ids: Sequence[uuid.UUID]) -> None:
        if ids:
            await self._session.execute(
                update(outbox_event).where(outbox_event.c.id.in_(list(ids))).values(sent_at=datetime.now(UTC))
            )

    async def note_failure(self, ids: Sequence[uuid.UUID], error: str) -> None:
        if ids:
            await self._session.execute(
                update(outbox_event)
                .where(outbox_event.c.id.in_(list(ids)))
                .values(attempts=outbox_event.c.attempts + 1, last_error=error[:2000])
            )

    async def forget_sent(self, sent_before: datetime, limit: int) -> int:
        old = (
            select(outbox_event.c.id)
            .where(outbox_event.c.sent_at.is_not(None), outbox_event.c.sent_at < sent_before)
            .limit(limit)
            .scalar_subquery()
        )
        result = await self._session.execute(delete(outbox_event).where(outbox_event.c.id.in_(old)))
        return int(result.rowcount or 0)
