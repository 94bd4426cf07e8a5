"""The two-factor challenge: a short-lived token, signed like every other, that proves the password was right; its
jti is spent at main_service with the second factor, so it completes one login."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from auth_service.domain.accounts import Account
from auth_service.domain.errors import InvalidMfaChallenge
from auth_service.domain.mfa import LoginChallenge
from qhitz_shared.errors import InvalidTokenError
from qhitz_shared.tokens import TokenSigner, TokenVerifier

MFA = "mfa"
MFA_AUDIENCE = "qhitz-mfa"  # no service accepts it as an access token: their audience is another


@dataclass(frozen=True, slots=True)
class Challenge:
    token: str
    expires_in: int


class MfaChallenges:
    def __init__(self, signer: TokenSigner, verifier: TokenVerifier, ttl_seconds: int) -> None:
        self._signer = signer
        self._verifier = verifier
        self._ttl = ttl_seconds

    def issue(self, account: Account) -> Challenge:
        token = self._signer.sign(
            subject=str(account.id), audience=MFA_AUDIENCE, ttl_seconds=self._ttl, ver=account.token_version, typ=MFA
        )
        return Challenge(token=token, expires_in=self._ttl)

    async def read(self, token: str) -> LoginChallenge:
        """Its user, token_version when it was issued, jti and expiry; raises InvalidMfaChallenge."""
        try:
            claims = await self._verifier.verify(token, [MFA_AUDIENCE])
            if claims.typ != MFA:
                raise InvalidTokenError("This is not a two-factor challenge")
            expires_at = datetime.fromtimestamp(claims.exp, UTC)
            return LoginChallenge(uuid.UUID(claims.sub), claims.ver, claims.jti, expires_at)
        except (InvalidTokenError, ValueError) as exc:
            raise InvalidMfaChallenge("The challenge is invalid or expired: log in again") from exc
