"""SqlaMailRequestQueue: the mail_requests table, taken with FOR UPDATE SKIP LOCKED so loops share it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from main_service.adapters.outbound.persistence.models import mail_requests
from main_service.domain.accounts import MailRequest, TokenPurpose
from qhitz_shared.ids import new_id


class SqlaMailRequestQueue:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, purpose: TokenPurpose, email: str, now: datetime) -> None:
        await self._session.execute(
            insert(mail_requests).values(id=new_id(), purpose=str(purpose), email=email, requested_at=now)
        )

    async def take(self, limit: int) -> list[MailRequest]:
        rows = await self._session.execute(
            select(mail_requests.c.id, mail_requests.c.purpose, mail_requests.c.email)
            .order_by(mail_requests.c.requested_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [MailRequest(id=row.id, purpose=TokenPurpose(row.purpose), email=row.email) for row in rows]

    async def remove(self, ids: list[uuid.UUID]) -> None:
        if ids:
            await self._session.execute(delete(mail_requests).where(mail_requests.c.id.in_(ids)))
