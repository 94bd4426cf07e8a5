"""SqlaSessionRepository: login sessions, with the compare-and-set that makes refresh-token rotation atomic."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from main_service.adapters.outbound.persistence.models import SessionModel, UserModel
from main_service.domain.sessions import RevokeReason, Session
from qhitz_shared.pagination import PageRequest


def _to_domain(model: SessionModel) -> Session:
    return Session(
        id=model.id,
        user_id=model.user_id,
        family_id=model.family_id,
        generation=model.generation,
        expires_at=model.expires_at,
        user_agent=model.user_agent,
        ip_address=model.ip_address,
        created_at=model.created_at,
        last_used_at=model.last_used_at,
        rotated_at=model.rotated_at,
        revoked_at=model.revoked_at,
        revoked_reason=model.revoked_reason,
    )


class SqlaSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, session: Session) -> Session:
        # a plain INSERT (no ORM unit-of-work flush): it is on the path of every login
        now = session.created_at or datetime.now(UTC)
        await self._session.execute(
            insert(SessionModel).values(
                id=session.id,
                user_id=session.user_id,
                family_id=session.family_id,
                generation=session.generation,
                user_agent=session.user_agent,
                ip_address=session.ip_address,
                last_used_at=session.last_used_at,
                expires_at=session.expires_at,
                created_at=now,
                updated_at=now,
            )
        )
        return replace(session, created_at=now)

    async def get(self, session_id: uuid.UUID) -> Session | None:
        # populate_existing: after a lost compare-and-set the row must be read again, not taken from the identity map
        model = await self._session.get(SessionModel, session_id, populate_existing=True)
        return _to_domain(model) if model else None

    async def record_login(self, user_id: uuid.UUID, at: datetime) -> None:
        await self._session.execute(
            update(UserModel)
            .where(UserModel.id == user_id)
            .values(last_login_at=at)
            .execution_options(synchronize_session=False)
        )

    async def advance_generation(
        self, session_id: uuid.UUID, presented: int, now: datetime, expires_at: datetime
    ) -> Session | None:
        # One UPDATE guarded by the presented generation: under PostgreSQL's row lock a concurrent second UPDATE
        # re-evaluates the WHERE against the committed row and matches nothing.
        result = await self._session.execute(
            update(SessionModel)
            .where(
                SessionModel.id == session_id,
                SessionModel.generation == presented,
                SessionModel.revoked_at.is_(None),
            )
            .values(
                generation=SessionModel.generation + 1,
                rotated_at=now,
                last_used_at=now,
                expires_at=expires_at,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return None
        return await self.get(session_id)

    async def touch(self, session_id: uuid.UUID, now: datetime) -> bool:
        result = await self._session.execute(
            update(SessionModel)
            .where(SessionModel.id == session_id)
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def delete(self, session_id: uuid.UUID) -> bool:
        result = await self._session.execute(
            delete(SessionModel).where(SessionModel.id == session_id).execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def revoke(self, session_id: uuid.UUID, reason: RevokeReason, now: datetime) -> None:
        await self._revoke_where(reason, now, SessionModel.id == session_id)

    async def revoke_family(self, family_id: uuid.UUID, reason: RevokeReason, now: datetime) -> int:
        return await self._revoke_where(reason, now, SessionModel.family_id == family_id)

    async def revoke_all(
        self, user_id: uuid.UUID, reason: RevokeReason, now: datetime, *, keep: uuid.UUID | None = None
    ) -> int:
        conditions = [SessionModel.user_id == user_id]
        if keep is not None:
            conditions.append(SessionModel.id != keep)
        return await self._revoke_where(reason, now, *conditions)

    async def _revoke_where(self, reason: RevokeReason, now: datetime, *conditions: object) -> int:
        result = await self._session.execute(
            update(SessionModel)
            .where(SessionModel.revoked_at.is_(None), *conditions)  # type: ignore[arg-type]
            .values(revoked_at=now, revoked_reason=str(reason), updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount

    async def list_for_user(
        self, user_id: uuid.UUID, page: PageRequest, *, active_at: datetime | None = None
    ) -> tuple[list[Session], int]:
        conditions = [SessionModel.user_id == user_id]
        if active_at is not None:
            conditions += [SessionModel.revoked_at.is_(None), SessionModel.expires_at > active_at]
        total = await self._session.scalar(select(func.count(SessionModel.id)).where(*conditions)) or 0
        rows = await self._session.scalars(
            select(SessionModel)
            .where(*conditions)
            .order_by(SessionModel.created_at.desc(), SessionModel.id.desc())
            .offset(page.offset)
            .limit(page.limit)
            .execution_options(populate_existing=True)
        )
        return [_to_domain(model) for model in rows], total
