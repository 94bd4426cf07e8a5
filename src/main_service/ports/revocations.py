"""The revocation log: what main_service's triggers recorded, read by the feed and the internal catch-up route."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from main_service.domain.users import UserStatus
from qhitz_shared.revocation.events import RevocationPage


class RevocationLog(Protocol):
    async def since(self, cursor: int, limit: int) -> RevocationPage:
        """Events with seq > cursor inside the retention window, oldest first, at most ``limit``."""
        ...


@dataclass(frozen=True, slots=True)
class TokenState:
    """What a user token is checked against when the deny state cannot be trusted. ``session_live`` is None
    when no session was asked about, else whether that session is the user's and has not ended."""

    token_version: int
    status: UserStatus
    session_live: bool | None = None


class TokenStates(Protocol):
    async def of(self, user_id: uuid.UUID, session_id: uuid.UUID | None) -> TokenState | None:
        """One database round trip; None when the user does not exist."""
        ...
