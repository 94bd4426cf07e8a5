"""Who is calling: a user or a service, as proven by a verified token. Plain data for every layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from qhitz_shared.api_keys import API_KEY_METHOD
from qhitz_shared.errors import AuthenticationError, InvalidTokenError
from qhitz_shared.tokens import TokenClaims


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    roles: frozenset[str] = frozenset()
    permissions: frozenset[str] = frozenset()
    token_version: int = 0
    service: str | None = None
    session_id: str | None = None
    claims: TokenClaims | None = field(default=None, compare=False)

    @classmethod
    def from_claims(cls, claims: TokenClaims) -> Principal:
        return cls(
            subject=claims.sub,
            roles=frozenset(claims.roles),
            permissions=frozenset(claims.perms),
            token_version=claims.ver,
            service=claims.svc,
            session_id=claims.sid,
            claims=claims,
        )

    @property
    def is_service(self) -> bool:
        return self.service is not None

    @property
    def via_api_key(self) -> bool:
        """The token was exchanged for an API key (amr ``api_key``), not issued by a login."""
        return self.claims is not None and API_KEY_METHOD in self.claims.amr

    @property
    def user_id(self) -> uuid.UUID:
        return uuid.UUID(self.subject)

    def has(self, permission: str) -> bool:
        return permission in self.permissions


def user_of(actor: Principal | None) -> Principal:
    """The caller as a user: a user token whose subject is a user id (anything else never reaches a use case)."""
    if actor is None or actor.is_service:
        raise AuthenticationError("A user token is required")
    try:
        actor.user_id  # noqa: B018 -- parses the subject
    except ValueError as exc:
        raise InvalidTokenError("The token subject is not a user id") from exc
    return actor
