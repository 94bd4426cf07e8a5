"""The lookup main_service falls back to when its event-fed deny state is stale: one round trip per request."""

from __future__ import annotations

import uuid

from main_service.domain.sessions import SessionRevoked
from main_service.domain.users import UserStatus
from main_service.ports.revocations import TokenStates
from qhitz_shared.errors import InvalidTokenError, TokenRevokedError
from qhitz_shared.principal import Principal


class LookupTokenCheck:
    """A PrincipalCheck: a user token must match the user's token_version and active status, and the session it
    names (sid) must be the user's and not ended — read in one statement."""

    def __init__(self, states: TokenStates) -> None:
        self._states = states

    async def check(self, principal: Principal) -> None:
        if principal.is_service:
            return
        try:
            user_id = principal.user_id
            session_id = uuid.UUID(principal.session_id) if principal.session_id is not None else None
        except ValueError as exc:
            raise InvalidTokenError("The token's subject or session id is not valid") from exc
        state = await self._states.of(user_id, session_id)
        if state is None:
            raise TokenRevokedError("The token's user no longer exists")
        if state.status is not UserStatus.ACTIVE:
            raise TokenRevokedError(f"The account is {state.status}")
        if state.token_version != principal.token_version:
            raise TokenRevokedError("The token has been revoked")
        if state.session_live is False:
            raise SessionRevoked("The session has ended")
