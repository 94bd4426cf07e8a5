"""TOTP two-factor state: auth_service does the arithmetic and encryption; main keeps the state and makes every
step (a code's time step, a recovery code) usable once with one conditional UPDATE."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import structlog

from main_service.domain.errors import MfaStateConflict, UserNotFound
from main_service.domain.mfa import Acceptance, LoginChallenge
from main_service.ports.directory import UserRepository
from main_service.ports.mfa import MfaRepository
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal

audit = structlog.get_logger("main_service.security")


class MfaService:
    def __init__(self, mfa: MfaRepository, users: UserRepository, uow: UnitOfWork) -> None:
        self._mfa = mfa
        self._users = users
        self._uow = uow

    async def set_pending(self, user_id: uuid.UUID, encrypted_secret: str) -> None:
        """Raises MfaStateConflict when TOTP is on already (turn it off first)."""
        await self._settle(await self._mfa.set_pending(user_id, encrypted_secret), user_id, "TOTP is on already")

    async def enable(self, user_id: uuid.UUID, step: int, code_hashes: list[str]) -> None:
        ok = await self._mfa.enable(user_id, step, code_hashes, datetime.now(UTC))
        await self._settle(ok, user_id, "No TOTP setup is waiting for confirmation")
        audit.info("mfa_enabled", user_id=str(user_id))

    async def accept_step(self, user_id: uuid.UUID, step: int, challenge: LoginChallenge | None = None) -> Acceptance:
        """REFUSED: the code's step was used already (a replay) or a later one was. With a login's challenge, the
        step and the challenge are spent in one transaction (or neither is)."""
        return await self._spend(user_id, challenge, lambda: self._mfa.advance_step(user_id, step))

    async def use_recovery_code(
        self, user_id: uuid.UUID, code_hash: str, challenge: LoginChallenge | None = None
    ) -> Acceptance:
        acceptance = await self._spend(
            user_id, challenge, lambda: self._mfa.use_recovery_code(user_id, code_hash, datetime.now(UTC))
        )
        if acceptance is Acceptance.ACCEPTED:
            audit.warning("mfa_recovery_code_used", user_id=str(user_id))
        return acceptance

    async def _spend(
        self, user_id: uuid.UUID, challenge: LoginChallenge | None, factor: Callable[[], Awaitable[bool]]
    ) -> Acceptance:
        """The challenge first (a concurrent use of it waits on its row), then the factor; all or nothing."""
        if challenge is not None and not await self._mfa.spend_challenge(
            user_id, challenge.jti, challenge.expires_at, datetime.now(UTC)
        ):
            await self._uow.rollback()
            return Acceptance.CHALLENGE_USED if await self._users.get(user_id) else Acceptance.REFUSED
        if not await factor():
            await self._uow.rollback()
            return Acceptance.REFUSED
        await self._uow.commit()
        return Acceptance.ACCEPTED

    async def disable(self, user_id: uuid.UUID) -> None:
        await self._settle(await self._mfa.disable(user_id), user_id, "TOTP is not set up")
        audit.info("mfa_disabled", user_id=str(user_id))

    async def reset_by_admin(self, admin: Principal, user_id: uuid.UUID) -> None:
        """An admin turns a user's TOTP off (lost device); audited with who did it."""
        await self._settle(await self._mfa.disable(user_id), user_id, "TOTP is not set up for this user")
        audit.warning("mfa_reset_by_admin", user_id=str(user_id), admin_id=admin.subject)

    async def _settle(self, changed: bool, user_id: uuid.UUID, conflict: str) -> None:
        if changed:
            await self._uow.commit()
            return
        await self._uow.rollback()
        if await self._users.get(user_id) is None:
            raise UserNotFound(f"No user with id {user_id}")
        raise MfaStateConflict(conflict)
