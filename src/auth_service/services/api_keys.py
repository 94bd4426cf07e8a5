"""API keys (personal access tokens): created with a subset of the owner's permissions, listed, revoked, and
exchanged for a short-lived access token carrying at most the key's scopes (sid = the key's id, so revoking the
key ends its tokens everywhere through the revocation feed, as logging out ends a session's)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from auth_service.domain.accounts import ClientInfo
from auth_service.domain.api_keys import (
    ApiKeyView,
    api_key_digest,
    exchange_limit_key,
    invalid_scopes,
    new_api_key,
    shown_prefix,
)
from auth_service.domain.errors import (
    AccountDisabled,
    EmailNotVerified,
    InvalidApiKey,
    InvalidScopes,
    UserNotFound,
)
from auth_service.domain.limits import RateRule
from auth_service.ports.api_keys import ApiKeyStore
from auth_service.ports.directory import SessionStore, UserDirectory
from auth_service.ports.security import RateLimiter
from auth_service.services.security_log import security_log
from qhitz_shared.api_keys import API_KEY_METHOD
from qhitz_shared.errors import ApiKeyNotAllowed, InvalidInputError
from qhitz_shared.principal import Principal
from qhitz_shared.tokens import TokenSigner


class ApiKeyTokens:
    """Signs the access token an API key is exchanged for: the API audience, no roles, perms = the scopes."""

    def __init__(self, signer: TokenSigner, audience: str, ttl_seconds: int) -> None:
        self._signer = signer
        self._audience = audience
        self.ttl_seconds = ttl_seconds

    def sign(self, user_id: uuid.UUID, key_id: uuid.UUID, scopes: list[str], version: int, ttl: int) -> str:
        return self._signer.sign(
            subject=str(user_id),
            audience=self._audience,
            ttl_seconds=ttl,
            roles=[],
            perms=scopes,
            ver=version,
            sid=str(key_id),
            typ="access",
            amr=[API_KEY_METHOD],
        )


class ApiKeyService:
    def __init__(
        self,
        directory: UserDirectory,
        sessions: SessionStore,
        store: ApiKeyStore,
        limiter: RateLimiter,
        tokens: ApiKeyTokens,
    ) -> None:
        self._directory = directory
        self._sessions = sessions
        self._store = store
        self._limiter = limiter
        self._tokens = tokens

    async def create(
        self, principal: Principal, name: str, scopes: list[str], expires_at: datetime | None
    ) -> tuple[str, ApiKeyView]:
        """The key in clear (shown once) and what is kept of it. Raises InvalidScopes, InvalidInputError (an
        expiry in the past), ApiKeyNotAllowed (the caller authenticated with an API key), TooManyApiKeys."""
        await self._from_a_session(principal)
        account = await self._directory.get(principal.user_id)
        if account is None:
            raise UserNotFound("The account no longer exists")
        unknown = invalid_scopes(scopes, account.permissions)
        if unknown:
            raise InvalidScopes(f"Not permissions of this account: {', '.join(unknown)}", scopes=unknown)
        if expires_at is not None and expires_at <= datetime.now(UTC):
            raise InvalidInputError("expires_at must be in the future", field="expires_at")
        key = new_api_key()
        view = await self._store.create(
            account.id,
            name=name,
            prefix=shown_prefix(key),
            key_hash=api_key_digest(key),
            scopes=sorted(set(scopes)),
            expires_at=expires_at,
        )
        security_log.info("api_key_created", user_id=principal.subject, key_id=str(view.id))
        return key, view

    async def list(self, principal: Principal) -> list[ApiKeyView]:
        await self._from_a_session(principal)
        return await self._store.list(principal.user_id)

    async def revoke(self, principal: Principal, key_id: uuid.UUID) -> None:
        await self._from_a_session(principal)
        await self._store.revoke(principal.user_id, key_id)
        security_log.info("api_key_revoked", user_id=principal.subject, key_id=str(key_id))

    async def exchange(
        self, key: str, client: ClientInfo, *, service: str | None = None, end_client_ip: str | None = None
    ) -> tuple[str, int]:
        """(access token, seconds it lives): at most the access-token lifetime and never past the key's expiry;
        perms are the key's scopes the owner still holds. ``service``: the caller's service name when it
        authenticated with a service token; ``end_client_ip``: the address that service saw the key come from,
        then the one the exchange is counted against (``exchange_limit_key``). Raises InvalidApiKey,
        AccountDisabled, EmailNotVerified, InvalidClientIp."""
        counted = exchange_limit_key(client.ip_address, service, end_client_ip)
        await self._limiter.hit(RateRule.API_KEY_EXCHANGE_IP, counted)
        found = await self._store.resolve(api_key_digest(key))
        if found is None:
            security_log.warning(
                "api_key_refused", prefix=shown_prefix(key), ip=client.ip_address, counted=counted, service=service
            )
            raise InvalidApiKey("The API key is unknown, revoked or expired")
        view, account = found
        if not account.is_active:
            raise AccountDisabled(f"The account is {account.status}")
        if account.must_verify_email:
            raise EmailNotVerified("Verify the account's email address first")
        ttl = self._tokens.ttl_seconds
        if view.expires_at is not None:
            ttl = min(ttl, int(view.expires_at.timestamp() - time.time()))
        if ttl <= 0:
            raise InvalidApiKey("The API key has expired")
        scopes = [scope for scope in view.scopes if scope in set(account.permissions)]
        return self._tokens.sign(account.id, view.id, scopes, account.token_version, ttl), ttl

    async def _from_a_session(self, principal: Principal) -> None:
        """Keys are managed from a login, not with a key: a token whose sid is no session of the user is refused."""
        session = None
        if principal.session_id is not None:
            try:
                session = await self._sessions.get(uuid.UUID(principal.session_id))
            except ValueError:
                session = None
        if session is None or session.user_id != principal.user_id:
            raise ApiKeyNotAllowed("Manage API keys with a login session's access token")
