"""Persistence port for login sessions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from main_service.domain.sessions import RevokeReason, Session
from qhitz_shared.pagination import PageRequest


class SessionRepository(Protocol):
    async def add(self, session: Session) -> Session: ...

    async def get(self, session_id: uuid.UUID) -> Session | None: ...

    async def record_login(self, user_id: uuid.UUID, at: datetime) -> None:
        """Set the user's last_login_at: a new session is a login."""
        ...

    async def advance_generation(
        self, session_id: uuid.UUID, presented: int, now: datetime, expires_at: datetime
    ) -> Session | None:
        """Compare-and-set: move an unrevoked session from generation ``presented`` to the next one.

        Returns the updated session when this caller won, None when the generation had already moved (or the
        session is revoked). Two concurrent callers presenting the same generation can never both win.
        """
        ...

    async def touch(self, session_id: uuid.UUID, now: datetime) -> bool: ...

    async def delete(self, session_id: uuid.UUID) -> bool: ...

    async def revoke(self, session_id: uuid.UUID, reason: RevokeReason, now: datetime) -> None: ...

    async def revoke_family(self, family_id: uuid.UUID, reason: RevokeReason, now: datetime) -> int: ...

    async def revoke_all(
        self, user_id: uuid.UUID, reason: RevokeReason, now: datetime, *, keep: uuid.UUID | None = None
    ) -> int: ...

    async def list_for_user(
        self, user_id: uuid.UUID, page: PageRequest, *, active_at: datetime | None = None
    ) -> tuple[list[Session], int]:
        """Newest first; with ``active_at`` only sessions neither revoked nor expired at that time."""
        ...
