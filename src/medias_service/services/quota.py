"""UploadQuota: the service-level API of quota reservations, for every way bytes arrive (multipart uploads here,
resumable uploads too).

    reservation = await quota.reserve(owner_id, size, quota_bytes)   # commits; None: it does not fit
    ... receive the bytes, metered against reservation.bytes ...
    await quota.settle(reservation)        # in the transaction that stores them (before BlobRepository.claim,
    await blobs.claim(...); await uow.commit()   # which charges the actual, deduplicated size)
    # or, on any failure or disconnect:
    await quota.release(reservation)       # commits; shielded from cancellation; best effort

Reservations a killed process never released expire after ``ttl`` and are dropped by the leftover sweeper
(``expire``).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import structlog

from medias_service.ports.quota import QuotaReservations, Reservation
from qhitz_shared.ports import UnitOfWork

log = structlog.get_logger(__name__)


class UploadQuota:
    def __init__(self, reservations: QuotaReservations, uow: UnitOfWork, ttl: timedelta) -> None:
        self._reservations = reservations
        self._uow = uow
        self._ttl = ttl

    async def reserve(
        self, owner_id: uuid.UUID, size: int, quota_bytes: int, *, ttl: timedelta | None = None
    ) -> Reservation | None:
        """Hold ``size`` bytes (atomically: concurrent reservations never pass the quota together) and commit;
        None when ``used + reserved + size`` would pass ``quota_bytes``."""
        expires_at = datetime.now(UTC) + (ttl or self._ttl)
        reservation = await self._reservations.reserve(owner_id, size, quota_bytes, expires_at)
        await self._uow.commit()
        return reservation

    async def settle(self, reservation: Reservation | None) -> None:
        """Give the held bytes back inside the caller's transaction, which then charges what was stored; not
        committed here (the caller commits both together)."""
        if reservation is not None:
            await self._reservations.drop(reservation.id)

    async def prolong(self, reservation: Reservation | None, expires_at: datetime) -> None:
        """Keep holding the bytes until ``expires_at`` (an upload still receiving them); not committed here."""
        if reservation is not None:
            await self._reservations.prolong(reservation.id, expires_at)

    async def release(self, reservation: Reservation | None) -> None:
        """After a failure: give the held bytes back in a transaction of its own. Never raises (the sweeper
        expires what could not be released)."""
        if reservation is None:
            return
        try:
            await asyncio.shield(self._release(reservation.id))
        except Exception as exc:
            log.warning("quota_release_failed", reservation_id=str(reservation.id), error=repr(exc))

    async def _release(self, reservation_id: uuid.UUID) -> None:
        await self._uow.rollback()
        await self._reservations.drop(reservation_id)
        await self._uow.commit()

    async def expire(self, limit: int = 500) -> int:
        """Drop reservations past their expiry; returns how many."""
        dropped = await self._reservations.expire(datetime.now(UTC), limit)
        await self._uow.commit()
        return dropped
