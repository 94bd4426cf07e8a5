"""Quota reservations: room an upload in flight holds in its owner's quota before its bytes are stored."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Reservation:
    """``bytes`` of ``owner_id``'s quota held until settled, released or expired (``expires_at``)."""

    id: uuid.UUID
    owner_id: uuid.UUID
    bytes: int
    expires_at: datetime


class QuotaReservations(Protocol):
    """Reserved bytes live in storage_usage.bytes_reserved (their sum) and one row per reservation. An owner's
    ``used + reserved`` never passes the quota: reserving and claiming stored bytes both check it in one statement.
    Nothing here commits; the caller's unit of work does."""

    async def reserve(
        self, owner_id: uuid.UUID, size: int, quota_bytes: int, expires_at: datetime
    ) -> Reservation | None:
        """Hold ``size`` bytes in one conditional statement; None (nothing held) when they do not fit."""
        ...

    async def drop(self, reservation_id: uuid.UUID) -> bool:
        """Remove the reservation and give its bytes back; False when it was already gone (settled, expired).
        Used both to settle (in the transaction that stores the bytes for good) and to release."""
        ...

    async def prolong(self, reservation_id: uuid.UUID, expires_at: datetime) -> bool:
        """Move the reservation's expiry (a resumable upload that is still receiving bytes); False when gone."""
        ...

    async def expire(self, now: datetime, limit: int) -> int:
        """Drop up to ``limit`` reservations whose ``expires_at`` has passed (left by killed processes)."""
        ...
