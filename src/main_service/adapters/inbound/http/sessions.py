"""/internal/v1 sessions: what auth_service needs to keep login sessions. Service tokens only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

import msgspec
from dishka import FromDishka
from litestar import Controller, Response, delete, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from main_service.adapters.inbound.http.dto import DirectoryUser
from main_service.adapters.inbound.http.internal import for_auth_service
from main_service.domain.sessions import MAX_GRACE_SECONDS, RevokeReason, Session
from main_service.services.sessions import SessionService
from qhitz_shared.http.inputs import NonNegativeInt32, Text
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of

MAX_TTL_SECONDS = 90 * 24 * 3600
MAX_USER_AGENT = 512  # the columns
MAX_IP_ADDRESS = 64
UserAgent = Text(MAX_USER_AGENT, normalised=False)
IpAddress = Text(MAX_IP_ADDRESS, normalised=False)
Ttl = Annotated[int, msgspec.Meta(ge=1, le=MAX_TTL_SECONDS)]


class SessionOut(msgspec.Struct):
    id: uuid.UUID
    user_id: uuid.UUID
    family_id: uuid.UUID
    generation: int
    user_agent: str | None
    ip_address: str | None
    created_at: datetime | None
    last_used_at: datetime | None
    expires_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None
    active: bool

    @classmethod
    def of(cls, session: Session) -> SessionOut:
        return cls(
            id=session.id,
            user_id=session.user_id,
            family_id=session.family_id,
            generation=session.generation,
            user_agent=session.user_agent,
            ip_address=session.ip_address,
            created_at=session.created_at,
            last_used_at=session.last_used_at,
            expires_at=session.expires_at,
            revoked_at=session.revoked_at,
            revoked_reason=session.revoked_reason,
            active=session.is_active(datetime.now(UTC)),
        )


class SessionCreate(msgspec.Struct, forbid_unknown_fields=True):
    user_id: uuid.UUID
    ttl_seconds: Ttl
    user_agent: UserAgent | None = None
    ip_address: IpAddress | None = None
    record_login: bool = True  # false when the caller records the login itself once the password is verified


class SessionRotate(msgspec.Struct, forbid_unknown_fields=True):
    family_id: uuid.UUID
    generation: NonNegativeInt32
    token_version: NonNegativeInt32
    ttl_seconds: Ttl
    grace_seconds: Annotated[int, msgspec.Meta(ge=0, le=MAX_GRACE_SECONDS)] = 0


class RotationOut(msgspec.Struct):
    session: SessionOut
    user: DirectoryUser


class SessionRevoke(msgspec.Struct, forbid_unknown_fields=True):
    user_id: uuid.UUID | None = None  # when given, the session must belong to this user
    reason: RevokeReason = RevokeReason.REVOKED


class UserSessionsRevoke(msgspec.Struct, forbid_unknown_fields=True):
    except_session_id: uuid.UUID | None = None
    reason: RevokeReason = RevokeReason.LOGOUT_ALL


class FamilyRevoke(msgspec.Struct, forbid_unknown_fields=True):
    reason: RevokeReason = RevokeReason.REVOKED


class RevokedCount(msgspec.Struct):
    revoked: int


class SessionsController(Controller):
    path = "/internal/v1/sessions"
    tags = ["internal"]
    guards = [for_auth_service]

    @post("/", summary="Start a session (a login); records the user's last login", responses=problems(404))
    async def create_session(
        self, data: JSONBody[SessionCreate], sessions: FromDishka[SessionService]
    ) -> Response[SessionOut]:
        session = await sessions.start(
            data.user_id,
            user_agent=data.user_agent,
            ip_address=data.ip_address,
            ttl_seconds=data.ttl_seconds,
            record_login=data.record_login,
        )
        return Response(SessionOut.of(session), status_code=201, headers={"Location": f"{self.path}/{session.id}"})

    @get("/{session_id:uuid}", summary="One session")
    async def get_session(self, session_id: FromPath[uuid.UUID], sessions: FromDishka[SessionService]) -> SessionOut:
        return SessionOut.of(await sessions.get(session_id))

    @post(
        "/{session_id:uuid}/rotate",
        status_code=200,
        summary="Compare-and-set the refresh generation; an old generation revokes the family (401)",
    )
    async def rotate(
        self, session_id: FromPath[uuid.UUID], data: JSONBody[SessionRotate], sessions: FromDishka[SessionService]
    ) -> RotationOut:
        session, user = await sessions.rotate(
            session_id,
            family_id=data.family_id,
            generation=data.generation,
            token_version=data.token_version,
            ttl_seconds=data.ttl_seconds,
            grace_seconds=data.grace_seconds,
        )
        return RotationOut(session=SessionOut.of(session), user=DirectoryUser.of(user))

    @delete("/{session_id:uuid}", summary="Delete a session opened speculatively whose login then failed")
    async def discard(self, session_id: FromPath[uuid.UUID], sessions: FromDishka[SessionService]) -> None:
        await sessions.discard(session_id)

    @post("/{session_id:uuid}/login", status_code=204, summary="Record the session's start as the user's last login")
    async def confirm_login(self, session_id: FromPath[uuid.UUID], sessions: FromDishka[SessionService]) -> None:
        await sessions.confirm_login(session_id)

    @post("/{session_id:uuid}/touch", status_code=204, summary="Record that the session was used")
    async def touch(self, session_id: FromPath[uuid.UUID], sessions: FromDishka[SessionService]) -> None:
        await sessions.touch(session_id)

    @post("/{session_id:uuid}/revoke", status_code=200, summary="End one session (idempotent)")
    async def revoke(
        self, session_id: FromPath[uuid.UUID], data: JSONBody[SessionRevoke], sessions: FromDishka[SessionService]
    ) -> SessionOut:
        return SessionOut.of(await sessions.revoke(session_id, user_id=data.user_id, reason=data.reason))

    @post("/families/{family_id:uuid}/revoke", status_code=200, summary="End every session of a token family")
    async def revoke_family(
        self, family_id: FromPath[uuid.UUID], data: JSONBody[FamilyRevoke], sessions: FromDishka[SessionService]
    ) -> RevokedCount:
        return RevokedCount(revoked=await sessions.revoke_family(family_id, data.reason))


class UserSessionsController(Controller):
    path = "/internal/v1/users/{user_id:uuid}/sessions"
    tags = ["internal"]
    guards = [for_auth_service]

    @get("/", summary="A user's sessions, newest first (active ones only unless asked)")
    async def list_sessions(
        self,
        user_id: FromPath[uuid.UUID],
        sessions: FromDishka[SessionService],
        page_request: Paging,
        active_only: FromQuery[bool] = True,
    ) -> Page[SessionOut]:
        items, total = await sessions.list_for_user(user_id, page_request, active_only=active_only)
        return page_of([SessionOut.of(session) for session in items], total, page_request)

    @post("/revoke", status_code=200, summary="End all of a user's sessions, optionally but one")
    async def revoke_all(
        self, user_id: FromPath[uuid.UUID], data: JSONBody[UserSessionsRevoke], sessions: FromDishka[SessionService]
    ) -> RevokedCount:
        count = await sessions.revoke_all(user_id, keep=data.except_session_id, reason=data.reason)
        return RevokedCount(revoked=count)
