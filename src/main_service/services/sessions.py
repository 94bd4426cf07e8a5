"""Login sessions kept for auth_service: start, rotate (with reuse detection), revoke, list."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from main_service.domain.errors import UserNotFound
from main_service.domain.sessions import (
    MAX_GRACE_SECONDS,
    AccountInactive,
    RevokeReason,
    RotationOutcome,
    Session,
    SessionNotFound,
    SessionRevoked,
    reuse_error,
)
from main_service.domain.users import User, UserStatus
from main_service.ports.directory import UserRepository
from main_service.ports.sessions import SessionRepository
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork

MAX_USER_AGENT = 512
MAX_IP = 64


def _now() -> datetime:
    return datetime.now(UTC)


class SessionService:
    """Each session is one refresh-token family. Rotation is a compare-and-set on the generation: of two
    concurrent refreshes with the same token one wins; the other gets the winner's generation only within the
    grace interval, and otherwise counts as reuse, which revokes the whole family."""

    def __init__(self, sessions: SessionRepository, users: UserRepository, uow: UnitOfWork) -> None:
        self._sessions = sessions
        self._users = users
        self._uow = uow

    async def start(
        self,
        user_id: uuid.UUID,
        *,
        user_agent: str | None,
        ip_address: str | None,
        ttl_seconds: int,
        record_login: bool = True,
    ) -> Session:
        """A new session; with ``record_login`` also the user's last login, in the same transaction.

        On every login's path, so it reads only (token_version, status), not the whole user with its roles.
        """
        state = await self._users.token_state(user_id)
        if state is None:
            raise UserNotFound(f"No user with id {user_id}")
        if state[1] is not UserStatus.ACTIVE:
            raise AccountInactive(f"The account is {state[1]}")
        now = _now()
        session = await self._sessions.add(
            Session(
                id=new_id(),
                user_id=user_id,
                family_id=new_id(),
                generation=0,
                expires_at=now + timedelta(seconds=ttl_seconds),
                user_agent=(user_agent or None) and user_agent[:MAX_USER_AGENT],
                ip_address=(ip_address or None) and ip_address[:MAX_IP],
                created_at=now,
                last_used_at=now,
            )
        )
        if record_login:
            await self._sessions.record_login(user_id, now)
        await self._uow.commit()
        return session

    async def confirm_login(self, session_id: uuid.UUID) -> None:
        """The password behind a session opened with ``record_login=False`` was verified: record the login."""
        session = await self.get(session_id)
        await self._sessions.record_login(session.user_id, session.created_at or _now())
        await self._uow.commit()

    async def discard(self, session_id: uuid.UUID) -> None:
        """Delete a session that was opened speculatively (alongside a password check that then failed)."""
        if not await self._sessions.delete(session_id):
            raise SessionNotFound(f"No session with id {session_id}")
        await self._uow.commit()

    async def rotate(
        self,
        session_id: uuid.UUID,
        *,
        family_id: uuid.UUID,
        generation: int,
        token_version: int,
        ttl_seconds: int,
        grace_seconds: int,
    ) -> tuple[Session, User]:
        """Advance the session past ``generation``; returns it with the user whose claims the new tokens carry."""
        grace_seconds = max(0, min(grace_seconds, MAX_GRACE_SECONDS))
        now = _now()
        session = await self._sessions.get(session_id)
        if session is None or session.family_id != family_id:
            raise SessionRevoked("The refresh token names no known session")
        session.ensure_usable(now)
        user = await self._users.get(session.user_id)
        if user is None or not user.is_active or user.token_version != token_version:
            await self._sessions.revoke(session.id, RevokeReason.ACCOUNT_CHANGED, now)
            await self._uow.commit()
            raise AccountInactive("The account is not active, or its tokens were revoked")

        outcome = session.judge(generation, now, grace_seconds)
        if outcome is RotationOutcome.ROTATE:
            advanced = await self._sessions.advance_generation(
                session.id, generation, now, now + timedelta(seconds=ttl_seconds)
            )
            if advanced is not None:
                await self._uow.commit()
                return advanced, user
            # lost the race to a concurrent refresh of the same token: judge again against the winner's row
            session = await self._sessions.get(session_id)
            if session is None:
                raise SessionRevoked("The session no longer exists")
            session.ensure_usable(now)
            outcome = session.judge(generation, now, grace_seconds)
        if outcome is RotationOutcome.GRACE:
            await self._sessions.touch(session.id, now)
            await self._uow.commit()
            return session, user
        await self._sessions.revoke_family(session.family_id, RevokeReason.REUSE_DETECTED, now)
        await self._uow.commit()
        raise reuse_error(session)

    async def get(self, session_id: uuid.UUID) -> Session:
        session = await self._sessions.get(session_id)
        if session is None:
            raise SessionNotFound(f"No session with id {session_id}")
        return session

    async def touch(self, session_id: uuid.UUID) -> None:
        if not await self._sessions.touch(session_id, _now()):
            raise SessionNotFound(f"No session with id {session_id}")
        await self._uow.commit()

    async def revoke(
        self, session_id: uuid.UUID, *, user_id: uuid.UUID | None = None, reason: RevokeReason = RevokeReason.REVOKED
    ) -> Session:
        """Idempotent. With ``user_id`` the session must be that user's (else it is reported as not found)."""
        session = await self._sessions.get(session_id)
        if session is None or (user_id is not None and session.user_id != user_id):
            raise SessionNotFound(f"No session with id {session_id}")
        await self._sessions.revoke(session_id, reason, _now())
        await self._uow.commit()
        return await self.get(session_id)

    async def revoke_family(self, family_id: uuid.UUID, reason: RevokeReason = RevokeReason.REVOKED) -> int:
        count = await self._sessions.revoke_family(family_id, reason, _now())
        await self._uow.commit()
        return count

    async def revoke_all(
        self, user_id: uuid.UUID, *, keep: uuid.UUID | None = None, reason: RevokeReason = RevokeReason.LOGOUT_ALL
    ) -> int:
        await self._user(user_id)
        count = await self._sessions.revoke_all(user_id, reason, _now(), keep=keep)
        await self._uow.commit()
        return count

    async def list_for_user(
        self, user_id: uuid.UUID, page: PageRequest, *, active_only: bool = True
    ) -> tuple[list[Session], int]:
        await self._user(user_id)
        return await self._sessions.list_for_user(user_id, page, active_at=_now() if active_only else None)

    async def _user(self, user_id: uuid.UUID) -> User:
        user = await self._users.get(user_id)
        if user is None:
            raise UserNotFound(f"No user with id {user_id}")
        return user
