"""SqlaApiKeyRepository: the api_keys table (revocation logged by migration 0005's trigger)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Row, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from main_service.adapters.outbound.persistence.models import api_keys
from main_service.domain.api_keys import ApiKey

_COLUMNS = (
    api_keys.c.id,
    api_keys.c.user_id,
    api_keys.c.name,
    api_keys.c.prefix,
    api_keys.c.scopes,
    api_keys.c.created_at,
    api_keys.c.expires_at,
    api_keys.c.last_used_at,
    api_keys.c.revoked_at,
)


def _key(row: Row) -> ApiKey:
    return ApiKey(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        prefix=row.prefix,
        scopes=list(row.scopes),
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def _live(now: datetime) -> tuple:
    return api_keys.c.revoked_at.is_(None), or_(api_keys.c.expires_at.is_(None), api_keys.c.expires_at > now)


class SqlaApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, key: ApiKey, key_hash: str) -> None:
        await self._session.execute(
            insert(api_keys).values(
                id=key.id,
                user_id=key.user_id,
                name=key.name,
                prefix=key.prefix,
                key_hash=key_hash,
                scopes=list(key.scopes),
                created_at=key.created_at,
                expires_at=key.expires_at,
            )
        )

    async def count_live(self, user_id: uuid.UUID, now: datetime) -> int:
        count = await self._session.scalar(select(func.count()).where(api_keys.c.user_id == user_id, *_live(now)))
        return int(count or 0)

    async def list_live(self, user_id: uuid.UUID, now: datetime) -> list[ApiKey]:
        rows = await self._session.execute(
            select(*_COLUMNS)
            .where(api_keys.c.user_id == user_id, *_live(now))
            .order_by(api_keys.c.created_at.desc(), api_keys.c.id.desc())
        )
        return [_key(row) for row in rows]

    async def revoke(self, user_id: uuid.UUID, key_id: uuid.UUID, now: datetime) -> bool:
        result = await self._session.execute(
            update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.user_id == user_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return bool(result.rowcount)

    async def use(self, key_hash: str, now: datetime) -> ApiKey | None:
        row = (
            await self._session.execute(
                update(api_keys)
                .where(api_keys.c.key_hash == key_hash, *_live(now))
                .values(last_used_at=now)
                .returning(*_COLUMNS)
            )
        ).first()
        return _key(row) if row else None
