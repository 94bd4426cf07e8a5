"""/api/v1/auth/sessions: the caller's sessions (created, last used, user agent, IP); revoke one."""

from __future__ import annotations

import uuid

from dishka import FromDishka
from litestar import Controller, delete, get
from litestar.params import FromPath

from auth_service.adapters.inbound.http.dto import SessionOut
from auth_service.services.sessions import SessionService
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import Caller, require_login


class SessionsController(Controller):
    path = "/api/v1/auth/sessions"
    tags = ["auth"]
    guards = [require_login]

    @get("/", summary="The caller's active sessions, newest first")
    async def list_sessions(
        self, principal: Caller, page_request: Paging, sessions: FromDishka[SessionService]
    ) -> Page[SessionOut]:
        items, total = await sessions.list(principal, page_request)
        return page_of([SessionOut.of(s, principal.session_id) for s in items], total, page_request)

    @delete("/{session_id:uuid}", status_code=204, summary="End one of the caller's sessions")
    async def revoke_session(
        self, session_id: FromPath[uuid.UUID], principal: Caller, sessions: FromDishka[SessionService]
    ) -> None:
        await sessions.revoke(principal, session_id)
