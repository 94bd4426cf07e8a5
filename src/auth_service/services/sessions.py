"""Refresh with rotation, logout, logout everywhere, and the caller's session list."""

from __future__ import annotations

import asyncio
import uuid

from auth_service.domain.accounts import ClientInfo, LoginSession, RevokeReason, TokenPair
from auth_service.domain.errors import AccountInactive, RefreshTokenReused, SessionRevoked
from auth_service.domain.limits import RateRule
from auth_service.ports.directory import SessionStore, UserDirectory
from auth_service.ports.security import RateLimiter
from auth_service.services.security_log import security_log
from auth_service.services.tokens import TokenIssuer
from qhitz_shared.errors import TokenRevokedError
from qhitz_shared.pagination import PageRequest
from qhitz_shared.principal import Principal


class SessionService:
    """Each refresh yields the next token of the same family. main_service decides atomically whether the
    presented generation is current; a replayed one revokes the family there, and is reported here."""

    def __init__(
        self, directory: UserDirectory, sessions: SessionStore, limiter: RateLimiter, issuer: TokenIssuer
    ) -> None:
        self._directory = directory
        self._sessions = sessions
        self._limiter = limiter
        self._issuer = issuer

    async def refresh(self, refresh_token: str, client: ClientInfo) -> TokenPair:
        await self._limiter.hit(RateRule.REFRESH_IP, client.ip_address or "unknown")
        claims = await self._issuer.read_refresh(refresh_token)
        await self._limiter.hit(RateRule.REFRESH_ACCOUNT, str(claims.user_id))
        settings = self._issuer.settings
        try:
            session, account = await self._sessions.rotate(
                claims.session_id,
                family_id=claims.family_id,
                generation=claims.generation,
                token_version=claims.token_version,
                ttl_seconds=settings.refresh_ttl_seconds,
                grace_seconds=settings.refresh_grace_seconds,
            )
        except RefreshTokenReused:
            security_log.warning(
                "refresh_token_reused",
                user_id=str(claims.user_id),
                session_id=str(claims.session_id),
                generation=claims.generation,
                ip=client.ip_address,
            )
            raise
        if account.id != claims.user_id:  # a session always belongs to the token's subject; never trust otherwise
            raise AccountInactive("The refresh token does not match its session")
        return self._issuer.pair(account, session)

    async def logout(self, principal: Principal) -> None:
        """Ends the session the access token belongs to (the access token itself lives until it expires)."""
        if principal.session_id is None:
            return
        try:
            session_id = uuid.UUID(principal.session_id)
        except ValueError:
            return
        await self._sessions.revoke(session_id, user_id=principal.user_id, reason=RevokeReason.LOGOUT)

    async def logout_everywhere(self, principal: Principal) -> None:
        """Bumps token_version (every access and refresh token stops working) and ends every session."""
        await self._directory.revoke_tokens(principal.user_id)
        await self._sessions.revoke_all(principal.user_id, reason=RevokeReason.LOGOUT_ALL)
        security_log.info("logout_all", user_id=principal.subject)

    async def list(self, principal: Principal, page: PageRequest) -> tuple[list[LoginSession], int]:
        return await self._sessions.list(principal.user_id, page)

    async def revoke(self, principal: Principal, session_id: uuid.UUID) -> None:
        await self._sessions.revoke(session_id, user_id=principal.user_id, reason=RevokeReason.REVOKED)


class ActiveAccountCheck:
    """auth_service's PrincipalCheck: a user's access token must match the account's status and token_version,
    and the session it names (sid) must not have ended, so a token revoked by logout, logout-all or suspension
    cannot list sessions or change the password."""

    def __init__(self, directory: UserDirectory, sessions: SessionStore) -> None:
        self._directory = directory
        self._sessions = sessions

    async def check(self, principal: Principal) -> None:
        if principal.is_service:
            return
        try:
            user_id = principal.user_id
            session_id = uuid.UUID(principal.session_id) if principal.session_id else None
        except ValueError as exc:
            raise TokenRevokedError("The token subject or session is not valid") from exc
        account, session = await asyncio.gather(
            self._directory.get(user_id),
            self._sessions.get(session_id) if session_id else asyncio.sleep(0, None),
        )
        if account is None or not account.is_active or account.token_version != principal.token_version:
            raise TokenRevokedError("The token has been revoked")
        if session_id is not None and (session is None or not session.active):
            raise SessionRevoked("The session has ended")
