"""The two-factor challenge: a short-lived token, signed like every other, that proves the password was right."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from auth_service.domain.accounts import Account
from auth_service.domain.errors import InvalidMfaChallenge
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

    async def read(self, token: str) -> tuple[uuid.UUID, int]:
        """(user id, token_version when it was issued); raises InvalidMfaChallenge."""
        try:
            claims = await self._verifier.verify(token, [MFA_AUDIENCE])
            if claims.typ != MFA:
                raise InvalidTokenError("This is not a two-factor challenge")
            return uuid.UUID(claims.sub), claims.ver
        except (InvalidTokenError, ValueError) as exc:
            raise InvalidMfaChallenge("The challenge is invalid or expired: log in again") from exc
