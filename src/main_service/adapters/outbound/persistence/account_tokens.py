"""SqlaAccountTokenRepository: mailed single-use tokens, consumed by one conditional UPDATE."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from main_service.adapters.outbound.persistence.models import UserModel, account_tokens
from main_service.domain.accounts import TokenPurpose
from qhitz_shared.ids import new_id


class SqlaAccountTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, user_id: uuid.UUID, purpose: TokenPurpose, token_hash: str, email: str, expires_at: datetime
    ) -> None:
        await self._session.execute(
            insert(account_tokens).values(
                id=new_id(),
                user_id=user_id,
                purpose=str(purpose),
                token_hash=token_hash,
                email=email,
                created_at=datetime.now(UTC),
                expires_at=expires_at,
            )
        )

    async def find_live(self, purpose: TokenPurpose, token_hash: str, now: datetime) -> tuple[uuid.UUID, str] | None:
        row = (
            await self._session.execute(
                select(account_tokens.c.user_id, account_tokens.c.email).where(*self._live(purpose, token_hash, now))
            )
        ).first()
        return (row.user_id, row.email) if row else None

    async def consume(self, purpose: TokenPurpose, token_hash: str, now: datetime) -> tuple[uuid.UUID, str] | None:
        row = (
            await self._session.execute(
                update(account_tokens)
                .where(*self._live(purpose, token_hash, now))
                .values(used_at=now)
                .returning(account_tokens.c.user_id, account_tokens.c.email)
            )
        ).first()
        return (row.user_id, row.email) if row else None

    async def count_since(self, user_id: uuid.UUID, purpose: TokenPurpose, since: datetime) -> int:
        count = await self._session.scalar(
            select(func.count()).where(
                account_tokens.c.user_id == user_id,
                account_tokens.c.purpose == str(purpose),
                account_tokens.c.created_at >= since,
            )
        )
        return int(count or 0)

    async def mark_email_verified(self, user_id: uuid.UUID, email: str, now: datetime) -> bool:
        result = await self._session.execute(
            update(UserModel)
            .where(UserModel.id == user_id, UserModel.email == email)
            .values(email_verified_at=func.coalesce(UserModel.email_verified_at, now))
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)

    @staticmethod
    def _live(purpose: TokenPurpose, token_hash: str, now: datetime) -> tuple:
        return (
            account_tokens.c.token_hash == token_hash,
            account_tokens.c.purpose == str(purpose),
            account_tokens.c.used_at.is_(None),
            account_tokens.c.expires_at > now,
        )
