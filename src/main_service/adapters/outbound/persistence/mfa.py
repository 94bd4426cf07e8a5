"""SqlaMfaRepository: the TOTP columns of users and the recovery_codes table, each change one statement."""

from __future__ import annotations

import uuid
from datetime import datetime

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import String, delete, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from main_service.adapters.outbound.persistence.models import UserModel, mfa_challenges, recovery_codes
from qhitz_shared.db import upsert


class SqlaMfaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def set_pending(self, user_id: uuid.UUID, secret: str) -> bool:
        return await self._update_user(
            user_id, UserModel.totp_enabled_at.is_(None), totp_secret=secret, totp_last_step=None
        )

    async def enable(self, user_id: uuid.UUID, step: int, code_hashes: list[str], now: datetime) -> bool:
        enabled = await self._update_user(
            user_id,
            UserModel.totp_enabled_at.is_(None),
            UserModel.totp_secret.is_not(None),
            totp_enabled_at=now,
            totp_last_step=step,
        )
        if enabled:
            await self._session.execute(delete(recovery_codes).where(recovery_codes.c.user_id == user_id))
            await self._session.execute(
                insert(recovery_codes), [{"user_id": user_id, "code_hash": code} for code in code_hashes]
            )
        return enabled

    async def advance_step(self, user_id: uuid.UUID, step: int) -> bool:
        return await self._update_user(
            user_id,
            UserModel.totp_enabled_at.is_not(None),
            or_(UserModel.totp_last_step.is_(None), UserModel.totp_last_step < step),
            totp_last_step=step,
        )

    async def use_recovery_code(self, user_id: uuid.UUID, code_hash: str, now: datetime) -> bool:
        result = await self._session.execute(
            update(recovery_codes)
            .where(
                recovery_codes.c.user_id == user_id,
                recovery_codes.c.code_hash == code_hash,
                recovery_codes.c.used_at.is_(None),
            )
            .values(used_at=now)
        )
        return bool(result.rowcount)

    async def spend_challenge(self, user_id: uuid.UUID, jti: str, expires_at: datetime, now: datetime) -> bool:
        await self._session.execute(delete(mfa_challenges).where(mfa_challenges.c.expires_at < now))
        of_the_user = select(
            literal(jti, String(64)), UserModel.id, literal(expires_at, DateTimeUTC(timezone=True))
        ).where(UserModel.id == user_id)
        result = await self._session.execute(
            upsert(self._session, mfa_challenges)
            .from_select(["jti", "user_id", "expires_at"], of_the_user)
            .on_conflict_do_nothing(index_elements=["jti"])
        )
        return bool(result.rowcount)

    async def disable(self, user_id: uuid.UUID) -> bool:
        await self._session.execute(delete(recovery_codes).where(recovery_codes.c.user_id == user_id))
        return await self._update_user(
            user_id,
            UserModel.totp_secret.is_not(None),
            totp_secret=None,
            totp_enabled_at=None,
            totp_last_step=None,
        )

    async def _update_user(self, user_id: uuid.UUID, *conditions: object, **values: object) -> bool:
        result = await self._session.execute(
            update(UserModel)
            .where(UserModel.id == user_id, *conditions)  # type: ignore[arg-type]
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)
