"""API keys at main_service (hash, prefix, name, scopes, dates)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from auth_service.domain.accounts import Account
from auth_service.domain.api_keys import ApiKeyView


class ApiKeyStore(Protocol):
    async def create(
        self,
        user_id: uuid.UUID,
        *,
        name: str,
        prefix: str,
        key_hash: str,
        scopes: list[str],
        expires_at: datetime | None,
    ) -> ApiKeyView:
        """Raises TooManyApiKeys."""
        ...

    async def list(self, user_id: uuid.UUID) -> list[ApiKeyView]: ...

    async def revoke(self, user_id: uuid.UUID, key_id: uuid.UUID) -> None:
        """Raises ApiKeyNotFound; every service refuses the key's tokens from the revocation event on."""
        ...

    async def resolve(self, key_hash: str) -> tuple[ApiKeyView, Account] | None:
        """The live key with this hash and its owner; None when unknown, revoked or expired."""
        ...
