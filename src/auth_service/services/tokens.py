"""Minting and reading auth_service's tokens: access, refresh and service tokens, all EdDSA."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import msgspec

from auth_service.domain.accounts import Account, LoginSession, TokenPair
from auth_service.domain.errors import InvalidRefreshToken
from qhitz_shared.errors import InvalidTokenError
from qhitz_shared.tokens import SigningKey, StaticKeySource, TokenClaims, TokenSigner, TokenVerifier, jwks_document

REFRESH = "refresh"
ACCESS = "access"


class TokenSettings(msgspec.Struct, frozen=True):
    """AUTH_*: token lifetimes and the refresh grace interval."""

    access_ttl_seconds: int = 15 * 60
    refresh_ttl_seconds: int = 7 * 24 * 3600
    service_token_ttl_seconds: int = 5 * 60
    refresh_grace_seconds: int = 10
    refresh_audience: str = "qhitz-auth"


class KeyRing:
    """The configured signing keys, newest first: the first signs, all verify and are published."""

    def __init__(self, keys: list[SigningKey]) -> None:
        if not keys:
            raise ValueError("at least one signing key is needed")
        self.keys = list(keys)

    @property
    def current(self) -> SigningKey:
        return self.keys[0]

    def jwks(self) -> dict[str, Any]:
        return jwks_document(self.keys)

    def signer(self, issuer: str) -> TokenSigner:
        return TokenSigner(self.current, issuer)

    def verifier(self, issuer: str, *, leeway_seconds: int) -> TokenVerifier:
        return TokenVerifier(StaticKeySource(self.keys), issuer, leeway_seconds=leeway_seconds)


@dataclass(frozen=True, slots=True)
class RefreshClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    family_id: uuid.UUID
    generation: int
    token_version: int


class TokenIssuer:
    """Signs with the newest key; reads tokens back with every configured key (so rotation never logs anyone out).

    Access tokens: aud = the API audience, roles, perms, ver, sid. Refresh tokens: typ "refresh", aud = auth_service
    itself (the shared bearer middleware refuses them), sid, fam, gen, ver. Service tokens: aud = the internal
    audience and svc.
    """

    def __init__(
        self,
        signer: TokenSigner,
        verifier: TokenVerifier,
        settings: TokenSettings,
        *,
        audience: str,
        internal_audience: str,
    ) -> None:
        self._signer = signer
        self._verifier = verifier
        self.settings = settings
        self.audience = audience
        self.internal_audience = internal_audience

    def pair(self, account: Account, session: LoginSession) -> TokenPair:
        now = int(time.time())
        access = self._signer.sign(
            subject=str(account.id),
            audience=self.audience,
            ttl_seconds=self.settings.access_ttl_seconds,
            now=now,
            roles=list(account.roles),
            perms=list(account.permissions),
            ver=account.token_version,
            sid=str(session.id),
            typ=ACCESS,
        )
        refresh = self._signer.sign(
            subject=str(account.id),
            audience=self.settings.refresh_audience,
            ttl_seconds=self.settings.refresh_ttl_seconds,
            now=now,
            ver=account.token_version,
            sid=str(session.id),
            fam=str(session.family_id),
            gen=session.generation,
            typ=REFRESH,
        )
        return TokenPair(
            access_token=access,
            refresh_token=refresh,
            expires_in=self.settings.access_ttl_seconds,
            refresh_expires_in=self.settings.refresh_ttl_seconds,
        )

    def service_token(self, client_id: str) -> tuple[str, int]:
        ttl = self.settings.service_token_ttl_seconds
        token = self._signer.sign(
            subject=f"service:{client_id}", audience=self.internal_audience, ttl_seconds=ttl, svc=client_id, typ=ACCESS
        )
        return token, ttl

    async def read_refresh(self, token: str) -> RefreshClaims:
        try:
            claims = await self._verifier.verify(token, [self.settings.refresh_audience])
        except InvalidTokenError as exc:
            raise InvalidRefreshToken(exc.detail) from exc
        if claims.typ != REFRESH or claims.sid is None or claims.fam is None or claims.gen is None:
            raise InvalidRefreshToken("This is not a refresh token")
        try:
            return RefreshClaims(
                user_id=uuid.UUID(claims.sub),
                session_id=uuid.UUID(claims.sid),
                family_id=uuid.UUID(claims.fam),
                generation=claims.gen,
                token_version=claims.ver,
            )
        except ValueError as exc:
            raise InvalidRefreshToken("The refresh token claims are not valid") from exc

    async def read_access(self, token: str) -> TokenClaims:
        """An access token (user or service), verified exactly as the other services verify it."""
        claims = await self._verifier.verify(token, [self.audience, self.internal_audience])
        if claims.typ != ACCESS:
            raise InvalidTokenError("Only access tokens are accepted here")
        if (claims.svc is not None) != (self.internal_audience in claims.audiences):
            raise InvalidTokenError("The token audience does not match its kind")
        return claims
