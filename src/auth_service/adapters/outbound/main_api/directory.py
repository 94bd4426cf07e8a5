"""HttpxUserDirectory and HttpxSessionStore: the ports, implemented by main_service's internal API."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec
import structlog

from auth_service.adapters.outbound.main_api.client import MainApiClient
from auth_service.domain.accounts import Account, AccountStatus, ClientInfo, LoginSession, RevokeReason
from qhitz_shared.errors import TokenRevokedError
from qhitz_shared.pagination import PageRequest
from qhitz_shared.revocation.feed import RevocationFeed

log = structlog.get_logger(__name__)


class DirectoryUser(msgspec.Struct):
    id: uuid.UUID
    email: str
    username: str
    password_hash: str | None
    status: AccountStatus
    roles: list[str]
    permissions: list[str]
    token_version: int
    email_verified: bool = False
    must_verify_email: bool = False
    totp_enabled: bool = False
    totp_secret: str | None = None

    def account(self) -> Account:
        return Account(
            id=self.id,
            email=self.email,
            username=self.username,
            password_hash=self.password_hash,
            status=self.status,
            token_version=self.token_version,
            roles=self.roles,
            permissions=self.permissions,
            email_verified=self.email_verified,
            must_verify_email=self.must_verify_email,
            totp_enabled=self.totp_enabled,
            totp_secret=self.totp_secret,
        )


class SessionDoc(msgspec.Struct):
    id: uuid.UUID
    user_id: uuid.UUID
    family_id: uuid.UUID
    generation: int
    expires_at: datetime
    active: bool
    user_agent: str | None = None
    ip_address: str | None = None
    created_at: datetime | None = None
    last_used_at: datetime | None = None

    def session(self) -> LoginSession:
        return LoginSession(
            id=self.id,
            user_id=self.user_id,
            family_id=self.family_id,
            generation=self.generation,
            expires_at=self.expires_at,
            active=self.active,
            user_agent=self.user_agent,
            ip_address=self.ip_address,
            created_at=self.created_at,
            last_used_at=self.last_used_at,
        )


class Rotation(msgspec.Struct):
    session: SessionDoc
    user: DirectoryUser


class SessionPage(msgspec.Struct):
    items: list[SessionDoc]
    total: int


class RevokedCount(msgspec.Struct):
    revoked: int


async def catch_up(revocations: RevocationFeed | None) -> None:
    if revocations is None:
        return
    try:
        await revocations.catch_up()
    except Exception as exc:  # the change is made; the stream or the next resync brings its events
        log.warning("revocation_catch_up_failed", error=repr(exc))


class HttpxUserDirectory:
    """After a change that revokes tokens, the deny state catches up at once (one call to main's log), so this
    service refuses the old token on the very next request, as main_service does."""

    def __init__(self, api: MainApiClient, revocations: RevocationFeed | None = None) -> None:
        self._api = api
        self._revocations = revocations

    async def find(self, login: str) -> Account | None:
        user = await self._api.find(
            "GET", "/internal/v1/users/lookup", DirectoryUser, params={"login": login}, absent="user_not_found"
        )
        return user.account() if user else None

    async def get(self, user_id: uuid.UUID) -> Account | None:
        user = await self._api.find("GET", f"/internal/v1/users/{user_id}", DirectoryUser, absent="user_not_found")
        return user.account() if user else None

    async def create(
        self, *, email: str, username: str, password_hash: str, first_name: str | None, last_name: str | None
    ) -> Account:
        body = {
            "email": email,
            "username": username,
            "password_hash": password_hash,
            "first_name": first_name,
            "last_name": last_name,
        }
        user = await self._api.call("POST", "/internal/v1/users/", DirectoryUser, json=body)
        return user.account()

    async def set_password_hash(self, user_id: uuid.UUID, password_hash: str, *, revoke_tokens: bool) -> Account:
        user = await self._api.call(
            "PUT",
            f"/internal/v1/users/{user_id}/password",
            DirectoryUser,
            json={"password_hash": password_hash, "revoke_tokens": revoke_tokens},
        )
        if revoke_tokens:
            await catch_up(self._revocations)
        return user.account()

    async def revoke_tokens(self, user_id: uuid.UUID) -> Account:
        user = await self._api.call("POST", f"/internal/v1/users/{user_id}/revoke-tokens", DirectoryUser)
        await catch_up(self._revocations)
        return user.account()


class HttpxSessionStore:
    """Like HttpxUserDirectory: ending sessions (or a refresh token's reuse) catches the deny state up at once."""

    def __init__(self, api: MainApiClient, revocations: RevocationFeed | None = None) -> None:
        self._api = api
        self._revocations = revocations

    async def start(
        self, user_id: uuid.UUID, client: ClientInfo, *, ttl_seconds: int, record_login: bool = True
    ) -> LoginSession:
        body = {
            "user_id": str(user_id),
            "ttl_seconds": ttl_seconds,
            "user_agent": client.user_agent,
            "ip_address": client.ip_address,
            "record_login": record_login,
        }
        doc = await self._api.call("POST", "/internal/v1/sessions/", SessionDoc, json=body)
        return doc.session()

    async def confirm_login(self, session_id: uuid.UUID) -> None:
        await self._api.send("POST", f"/internal/v1/sessions/{session_id}/login")

    async def discard(self, session_id: uuid.UUID) -> None:
        await self._api.send("DELETE", f"/internal/v1/sessions/{session_id}")

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
        body = {
            "family_id": str(family_id),
            "generation": generation,
            "token_version": token_version,
            "ttl_seconds": ttl_seconds,
            "grace_seconds": grace_seconds,
        }
        try:
            rotation = await self._api.call("POST", f"/internal/v1/sessions/{session_id}/rotate", Rotation, json=body)
        except TokenRevokedError:  # reuse revokes the family; an inactive account ends the session
            await catch_up(self._revocations)
            raise
        return rotation.session.session(), rotation.user.account()

    async def get(self, session_id: uuid.UUID) -> LoginSession | None:
        doc = await self._api.find("GET", f"/internal/v1/sessions/{session_id}", SessionDoc, absent="session_not_found")
        return doc.session() if doc else None

    async def revoke(self, session_id: uuid.UUID, *, user_id: uuid.UUID, reason: RevokeReason) -> None:
        await self._api.call(
            "POST",
            f"/internal/v1/sessions/{session_id}/revoke",
            SessionDoc,
            json={"user_id": str(user_id), "reason": str(reason)},
        )
        await catch_up(self._revocations)

    async def revoke_all(
        self, user_id: uuid.UUID, *, reason: RevokeReason, except_session_id: uuid.UUID | None = None
    ) -> int:
        body = {"reason": str(reason), "except_session_id": str(except_session_id) if except_session_id else None}
        count = await self._api.call("POST", f"/internal/v1/users/{user_id}/sessions/revoke", RevokedCount, json=body)
        await catch_up(self._revocations)
        return count.revoked

    async def list(self, user_id: uuid.UUID, page: PageRequest) -> tuple[list[LoginSession], int]:
        result = await self._api.call(
            "GET",
            f"/internal/v1/users/{user_id}/sessions",
            SessionPage,
            params={"page": page.page, "per_page": page.per_page, "active_only": "true"},
        )
        return [doc.session() for doc in result.items], result.total
