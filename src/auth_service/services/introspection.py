"""GET /verify: is this access token valid right now, and what does it claim?"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import msgspec

from auth_service.ports.directory import SessionStore, UserDirectory
from auth_service.services.tokens import TokenIssuer
from qhitz_shared.errors import InvalidTokenError


@dataclass(frozen=True, slots=True)
class Introspection:
    valid: bool
    claims: dict[str, Any] | None = None
    reason: str | None = None


class IntrospectionService:
    """Checks the signature and claims as every service does, then what only main_service knows: the account is
    active, token_version is current, and the token's session has not ended."""

    def __init__(self, issuer: TokenIssuer, directory: UserDirectory, sessions: SessionStore) -> None:
        self._issuer = issuer
        self._directory = directory
        self._sessions = sessions

    async def inspect(self, token: str | None) -> Introspection:
        if not token:
            return Introspection(valid=False, reason="No bearer token was sent")
        try:
            claims = await self._issuer.read_access(token)
        except InvalidTokenError as exc:
            return Introspection(valid=False, reason=exc.detail)
        as_dict = msgspec.to_builtins(claims)
        if claims.svc is not None:
            return Introspection(valid=True, claims=as_dict)
        try:
            user_id = uuid.UUID(claims.sub)
        except ValueError:
            return Introspection(valid=False, claims=as_dict, reason="The token subject is not a user id")
        account = await self._directory.get(user_id)
        if account is None or not account.is_active:
            return Introspection(valid=False, claims=as_dict, reason="The account is not active")
        if account.token_version != claims.ver:
            return Introspection(valid=False, claims=as_dict, reason="The token has been revoked")
        if claims.sid is not None:
            try:
                session = await self._sessions.get(uuid.UUID(claims.sid))
            except ValueError:
                session = None
            if session is None or not session.active:
                return Introspection(valid=False, claims=as_dict, reason="The session has ended")
        return Introspection(valid=True, claims=as_dict)
