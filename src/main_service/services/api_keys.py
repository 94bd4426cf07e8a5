"""API keys at main_service: stored, listed, revoked (the revocation reaches every service as an event), and
resolved by their hash when auth_service exchanges one for an access token."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import structlog

from main_service.domain.api_keys import MAX_KEYS_PER_USER, ApiKey
from main_service.domain.errors import ApiKeyNotFound, TooManyApiKeys, UserNotFound
from main_service.domain.users import User
from main_service.ports.api_keys import ApiKeyRepository
from main_service.ports.directory import UserRepository
from qhitz_shared.ports import UnitOfWork

audit = structlog.get_logger("main_service.security")


class ApiKeyService:
    def __init__(self, keys: ApiKeyRepository, users: UserRepository, uow: UnitOfWork) -> None:
        self._keys = keys
        self._users = users
        self._uow = uow

    async def create(self, key: ApiKey, key_hash: str) -> ApiKey:
        """Raises TooManyApiKeys past MAX_KEYS_PER_USER live keys."""
        if await self._users.get(key.user_id) is None:
            raise UserNotFound(f"No user with id {key.user_id}")
        if await self._keys.count_live(key.user_id, datetime.now(UTC)) >= MAX_KEYS_PER_USER:
            raise TooManyApiKeys(f"At most {MAX_KEYS_PER_USER} live API keys per account")
        await self._keys.add(key, key_hash)
        await self._uow.commit()
        audit.info("api_key_created", user_id=str(key.user_id), key_id=str(key.id), scopes=key.scopes)
        return key

    async def list(self, user_id: uuid.UUID) -> list[ApiKey]:
        return await self._keys.list_live(user_id, datetime.now(UTC))

    async def revoke(self, user_id: uuid.UUID, key_id: uuid.UUID) -> None:
        if not await self._keys.revoke(user_id, key_id, datetime.now(UTC)):
            await self._uow.rollback()
            raise ApiKeyNotFound("No such live API key")
        await self._uow.commit()
        audit.info("api_key_revoked", user_id=str(user_id), key_id=str(key_id))

    async def resolve(self, key_hash: str) -> tuple[ApiKey, User]:
        """The live key and its (active or not: the caller decides) owner; records the use."""
        key = await self._keys.use(key_hash, datetime.now(UTC))
        user = await self._users.get(key.user_id) if key else None
        if key is None or user is None:
            await self._uow.rollback()
            raise ApiKeyNotFound("The API key is unknown, revoked or expired")
        await self._uow.commit()
        return key, user
