"""The outbox table: events inserted in the caller's transaction, read and marked sent by the relay."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar, Protocol

import msgspec
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, Column, Index, Integer, MetaData, String, Table, Text, delete, insert, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from qhitz_shared.ids import new_id
from qhitz_shared.outbox.events import OutgoingEvent


class NamedEvent(Protocol):
    """A domain event as the outbox records it: its routing name, and itself as the payload (a Struct or dataclass)."""

    @property
    def name(self) -> str: ...


def _now() -> datetime:
    return datetime.now(UTC)


def outbox_table(metadata: MetaData) -> Table:
    """The ``outbox_event`` table in a service's ``metadata`` (with its partial index of unsent rows)."""
    table = Table(
        "outbox_event",
        metadata,
        Column("id", GUID, primary_key=True),
        Column("name", String(64), nullable=False),
        Column("payload", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        Column("created_at", DateTimeUTC(timezone=True), nullable=False, default=_now),
        Column("sent_at", DateTimeUTC(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
    )
    Index(
        "ix_outbox_event_unsent",
        table.c.created_at,
        postgresql_where=table.c.sent_at.is_(None),
        sqlite_where=table.c.sent_at.is_(None),
    )
    return table


async def record_event(session: AsyncSession, table: Table, event: NamedEvent) -> None:
    """Insert ``event`` into the outbox ``table`` in the caller's transaction."""
    await session.execute(
        insert(table).values(id=new_id(), name=event.name, payload=msgspec.to_builtins(event), attempts=0)
    )


class SqlaOutboxStore:
    """``pending`` locks the rows it returns with FOR UPDATE SKIP LOCKED on PostgreSQL, so several relays share
    the work without publishing a row twice at the same time (SQLite has one writer: nothing to skip). A service
    subclasses it naming its ``table``."""

    table: ClassVar[Table]

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def pending(self, limit: int) -> list[OutgoingEvent]:
        rows = await self._session.execute(
            select(self.table.c.id, self.table.c.name, self.table.c.payload, self.table.c.attempts)
            .where(self.table.c.sent_at.is_(None))
            .order_by(self.table.c.created_at)
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
                update(self.table).where(self.table.c.id.in_(list(ids))).values(sent_at=datetime.now(UTC))
            )

    async def note_failure(self, ids: Sequence[uuid.UUID], error: str) -> None:
        if ids:
            await self._session.execute(
                update(self.table)
                .where(self.table.c.id.in_(list(ids)))
                .values(attempts=self.table.c.attempts + 1, last_error=error[:2000])
            )

    async def forget_sent(self, sent_before: datetime, limit: int) -> int:
        old = (
            select(self.table.c.id)
            .where(self.table.c.sent_at.is_not(None), self.table.c.sent_at < sent_before)
            .limit(limit)
            .scalar_subquery()
        )
        result = await self._session.execute(delete(self.table).where(self.table.c.id.in_(old)))
        return int(result.rowcount or 0)
