"""TOTP state per user (the secret arrives encrypted by auth_service) and single-use recovery codes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol


class MfaRepository(Protocol):
    async def set_pending(self, user_id: uuid.UUID, secret: str) -> bool:
        """Store a new, not yet confirmed secret; False when TOTP is already on (or no such user)."""
        ...

    async def enable(self, user_id: uuid.UUID, step: int, code_hashes: list[str], now: datetime) -> bool:
        """Turn the pending secret on with ``step`` as the last used one and these recovery codes (replacing any);
        False when there is no pending secret or TOTP is already on."""
        ...

    async def advance_step(self, user_id: uuid.UUID, step: int) -> bool:
        """One conditional UPDATE: True only if TOTP is on and ``step`` is later than the last accepted one, so a
        code is accepted once, whatever runs concurrently."""
        ...

    async def use_recovery_code(self, user_id: uuid.UUID, code_hash: str, now: datetime) -> bool:
        """Spend an unused recovery code (conditional UPDATE); False when unknown or used."""
        ...

    async def spend_challenge(self, user_id: uuid.UUID, jti: str, expires_at: datetime, now: datetime) -> bool:
        """Record a two-factor challenge as used (and forget those expired by ``now``); False when it was used
        already, whatever runs concurrently (INSERT ... ON CONFLICT DO NOTHING on its jti), or no such user."""
        ...

    async def disable(self, user_id: uuid.UUID) -> bool:
        """Secret, step and recovery codes gone; False when TOTP was not set up."""
        ...
