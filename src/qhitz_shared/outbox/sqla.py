"""The outbox table and its store (SQLAlchemy Core): one table per database, named ``outbox_event``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, Column, Index, Integer, MetaData, String, Table, Text, delete, insert, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from qhitz_shared.ids import new_id
from qhitz_shared.outbox.ports import OutgoingEvent


def _now() -> datetime:
    return datetime.now(UTC)


def outbox_table(metadata: MetaData) -> Table:
    """``outbox_event`` in ``metadata``: id, name (the routing key), payload (JSON), created_at, sent_at, attempts,
    last_error; a partial index on the unsent rows."""
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


async def record(session: AsyncSession, table: Table, name: str, payload: Any) -> None:
    """Insert one event in the session's transaction: it leaves only if that transaction commits."""
    await session.execute(
        insert(table).values(id=new_id(), name=name, payload=msgspec.to_builtins(payload), attempts=0)
    )


class SqlaOutboxStore:
    """The relay's side of an outbox table. ``pending`` locks the rows it returns with FOR UPDATE SKIP LOCKED on
    PostgreSQL, so several relays share the work without publishing a row twice at the same time (SQLite has one
    writer: nothing to skip). A subclass names its database's table in ``table``."""

    table: Table

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def pending(self, limit: int) -> list[OutgoingEvent]:
        table = self.table
        rows = await self._session.execute(
            select(table.c.id, table.c.name, table.c.payload, table.c.attempts)
            .where(table.c.sent_at.is_(None))
            .order_by(table.c.created_at)
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
            table = self.table
            await self._session.execute(
                update(table)
                .where(table.c.id.in_(list(ids)))
                .values(attempts=table.c.attempts + 1, last_error=error[:2000])
            )

    async def forget_sent(self, sent_before: datetime, limit: int) -> int:
        table = self.table
        old = (
            select(table.c.id)
            .where(table.c.sent_at.is_not(None), table.c.sent_at < sent_before)
            .limit(limit)
            .scalar_subquery()
        )
        result = await self._session.execute(delete(table).where(table.c.id.in_(old)))
        return int(result.rowcount or 0)
