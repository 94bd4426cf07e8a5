"""API keys as stored: only the key's SHA-256, its prefix, name, scopes and dates."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from main_service.domain.api_keys import ApiKey


class ApiKeyRepository(Protocol):
    async def add(self, key: ApiKey, key_hash: str) -> None: ...

    async def count_live(self, user_id: uuid.UUID, now: datetime) -> int: ...

    async def list_live(self, user_id: uuid.UUID, now: datetime) -> list[ApiKey]:
        """Neither revoked nor expired, newest first."""
        ...

    async def revoke(self, user_id: uuid.UUID, key_id: uuid.UUID, now: datetime) -> bool:
        """False when the user has no such live key. The revocation is logged (a trigger) like a session's."""
        ...

    async def use(self, key_hash: str, now: datetime) -> ApiKey | None:
        """The live key with this hash, its last use set to ``now`` in the same statement; None otherwise."""
        ...
