"""SqlaQuotaReservations: quota_reservation rows and their sum in storage_usage.bytes_reserved."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medias_service.adapters.outbound.persistence.models import quota_reservation, storage_usage
from medias_service.ports.quota import Reservation
from qhitz_shared.db import upsert
from qhitz_shared.ids import new_id


async def ensure_usage_row(session: AsyncSession, owner_id: uuid.UUID) -> None:
    await session.execute(
        upsert(session, storage_usage)
        .values(owner_id=owner_id, bytes_used=0, bytes_reserved=0)
        .on_conflict_do_nothing(index_elements=["owner_id"])
    )


class SqlaQuotaReservations:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def reserve(
        self, owner_id: uuid.UUID, size: int, quota_bytes: int, expires_at: datetime
    ) -> Reservation | None:
        await ensure_usage_row(self._session, owner_id)
        usage = storage_usage.c
        held = await self._session.execute(
            update(storage_usage)
            .where(usage.owner_id == owner_id, usage.bytes_used + usage.bytes_reserved + size <= quota_bytes)
            .values(bytes_reserved=usage.bytes_reserved + size)
        )
        if held.rowcount == 0:
            return None
        reservation = Reservation(new_id(), owner_id, size, expires_at)
        await self._session.execute(
            quota_reservation.insert().values(id=reservation.id, owner_id=owner_id, bytes=size, expires_at=expires_at)
        )
        return reservation

    async def drop(self, reservation_id: uuid.UUID) -> bool:
        row = (
            await self._session.execute(
                delete(quota_reservation)
                .where(quota_reservation.c.id == reservation_id)
                .returning(quota_reservation.c.owner_id, quota_reservation.c.bytes)
            )
        ).first()
        if row is None:
            return False
        await self._give_back(row.owner_id, row.bytes)
        return True

    async def prolong(self, reservation_id: uuid.UUID, expires_at: datetime) -> bool:
        moved = await self._session.execute(
            update(quota_reservation).where(quota_reservation.c.id == reservation_id).values(expires_at=expires_at)
        )
        return moved.rowcount == 1  # type: ignore[attr-defined]

    async def expire(self, now: datetime, limit: int) -> int:
        expired = await self._session.scalars(
            select(quota_reservation.c.id).where(quota_reservation.c.expires_at < now).limit(limit)
        )
        return sum([await self.drop(reservation_id) for reservation_id in expired.all()])

    async def _give_back(self, owner_id: uuid.UUID, size: int) -> None:
        usage = storage_usage.c
        await self._session.execute(
            update(storage_usage).where(usage.owner_id == owner_id).values(bytes_reserved=usage.bytes_reserved - size)
        )
