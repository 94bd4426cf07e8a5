"""main_service as auth_service sees it: the user directory and the session store (both over HTTP)."""

from __future__ import annotations

import uuid
from typing import Protocol

from auth_service.domain.accounts import Account, ClientInfo, LoginSession, RevokeReason
from qhitz_shared.pagination import PageRequest


class UserDirectory(Protocol):
    async def find(self, login: str) -> Account | None:
        """By email (when it has an @) or username; None when no such account exists."""
        ...

    async def get(self, user_id: uuid.UUID) -> Account | None: ...

    async def create(
        self, *, email: str, username: str, password_hash: str, first_name: str | None, last_name: str | None
    ) -> Account:
        """Raises EmailTaken, UsernameTaken, InvalidUserData or RegistrationDisabled."""
        ...

    async def set_password_hash(self, user_id: uuid.UUID, password_hash: str, *, revoke_tokens: bool) -> Account:
        """With ``revoke_tokens`` the token_version is bumped, so every token issued before stops working."""
        ...

    async def revoke_tokens(self, user_id: uuid.UUID) -> Account: ...


class SessionStore(Protocol):
    async def start(
        self, user_id: uuid.UUID, client: ClientInfo, *, ttl_seconds: int, record_login: bool = True
    ) -> LoginSession:
        """A new session at generation 0 (also the user's last login unless told not to); raises AccountInactive
        when the user cannot log in."""
        ...

    async def confirm_login(self, session_id: uuid.UUID) -> None:
        """Record a session opened with ``record_login=False`` as the user's last login."""
        ...

    async def discard(self, session_id: uuid.UUID) -> None:
        """Delete a session opened speculatively whose login then failed."""
        ...

    async def rotate(
        self,
        session_id: uuid.UUID,
        *,
        family_id: uuid.UUID,
        generation: int,
        token_version: int,
        ttl_seconds: int,
        grace_seconds: int,
    ) -> tuple[LoginSession, Account]:
        """Atomically advance past ``generation``. Raises RefreshTokenReused (the family is then revoked),
        SessionRevoked, or AccountInactive (suspended, deactivated, or token_version changed)."""
        ...

    async def get(self, session_id: uuid.UUID) -> LoginSession | None: ...

    async def revoke(self, session_id: uuid.UUID, *, user_id: uuid.UUID, reason: RevokeReason) -> None:
        """Raises SessionNotFound unless the session is the user's. Idempotent."""
        ...

    async def revoke_all(
        self, user_id: uuid.UUID, *, reason: RevokeReason, except_session_id: uuid.UUID | None = None
    ) -> int: ...

    async def list(self, user_id: uuid.UUID, page: PageRequest) -> tuple[list[LoginSession], int]:
        """The user's active sessions, newest first."""
        ...
