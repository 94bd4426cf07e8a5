"""SqlaRevocationLog: reads the trigger-written ``revocations`` table in its own short transactions."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from main_service.adapters.outbound.persistence.models import revocations
from qhitz_shared.revocation.events import RevocationEvent, RevocationPage

MAX_PAGE = 1000
PRUNE_EVERY_SECONDS = 60.0


class SqlaRevocationLog:
    """APP-scoped (opens a session per read, never joins a request's transaction). Rows older than the retention
    window are deleted now and then: a token they would refuse has expired."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], retention_seconds: float) -> None:
        self._sessionmaker = sessionmaker
        self._retention = timedelta(seconds=retention_seconds)
        self._pruned_at = 0.0

    async def since(self, cursor: int, limit: int) -> RevocationPage:
        limit = max(1, min(limit, MAX_PAGE))
        horizon = datetime.now(UTC) - self._retention
        table = revocations.c
        async with self._sessionmaker() as session:
            rows = (
                await session.execute(
                    select(
                        table.id, table.user_id, table.session_id, table.token_version, table.active, table.occurred_at
                    )
                    .where(table.id > cursor, table.occurred_at > horizon)
                    .order_by(table.id)
                    .limit(limit + 1)
                )
            ).all()
            head = await session.scalar(select(func.coalesce(func.max(table.id), 0))) or 0
            if time.monotonic() - self._pruned_at > PRUNE_EVERY_SECONDS:
                self._pruned_at = time.monotonic()
                await session.execute(delete(revocations).where(table.occurred_at <= horizon))
                await session.commit()
        events = [
            RevocationEvent(
                seq=row.id,
                user_id=str(row.user_id),
                at=row.occurred_at.timestamp(),
                token_version=row.token_version,
                active=row.active,
                session_id=None if row.session_id is None else str(row.session_id),
            )
            for row in rows[:limit]
        ]
        return RevocationPage(
            events=events, cursor=events[-1].seq if events else cursor, more=len(rows) > limit, head=int(head)
        )
