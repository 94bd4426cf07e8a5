"""Changing a password: verify the current one, apply the policy, end every other session."""

from __future__ import annotations

from auth_service.domain.accounts import ClientInfo, RevokeReason, TokenPair
from auth_service.domain.errors import UserNotFound, WeakPassword, WrongCurrentPassword
from auth_service.domain.limits import RateRule
from auth_service.ports.directory import SessionStore, UserDirectory
from auth_service.ports.security import PasswordHasher, RateLimiter
from auth_service.services.security_log import security_log
from auth_service.services.tokens import TokenIssuer
from qhitz_shared.password_policy import PasswordPolicy
from qhitz_shared.principal import Principal


class PasswordService:
    def __init__(
        self,
        directory: UserDirectory,
        sessions: SessionStore,
        hasher: PasswordHasher,
        limiter: RateLimiter,
        issuer: TokenIssuer,
        policy: PasswordPolicy,
    ) -> None:
        self._directory = directory
        self._sessions = sessions
        self._hasher = hasher
        self._limiter = limiter
        self._issuer = issuer
        self._policy = policy

    async def change(
        self, principal: Principal, current_password: str, new_password: str, client: ClientInfo
    ) -> TokenPair:
        """Stores the new hash (bumping token_version), opens a fresh session for the caller and ends all others;
        the returned pair belongs to that fresh session."""
        await self._limiter.hit(RateRule.PASSWORD_IP, client.ip_address or "unknown")
        await self._limiter.hit(RateRule.PASSWORD_ACCOUNT, principal.subject)  # spent up front: no concurrent overrun
        account = await self._directory.get(principal.user_id)
        if account is None:
            raise UserNotFound("The account no longer exists")
        if account.password_hash is None or not await self._hasher.verify(account.password_hash, current_password):
            security_log.warning("password_change_failed", user_id=principal.subject, ip=client.ip_address)
            raise WrongCurrentPassword("The current password is wrong")
        if new_password == current_password:
            raise WeakPassword("The new password must differ from the current one", reason="unchanged")
        await self._policy.check(new_password, email=account.email, username=account.username)
        account = await self._directory.set_password_hash(
            account.id, await self._hasher.hash(new_password), revoke_tokens=True
        )
        session = await self._sessions.start(account.id, client, ttl_seconds=self._issuer.settings.refresh_ttl_seconds)
        ended = await self._sessions.revoke_all(
            account.id, reason=RevokeReason.PASSWORD_CHANGED, except_session_id=session.id
        )
        security_log.info("password_changed", user_id=principal.subject, sessions_ended=ended, ip=client.ip_address)
        return self._issuer.pair(account, session)
