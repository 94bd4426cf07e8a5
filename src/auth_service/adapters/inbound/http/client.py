"""Who is on the other end of a request: its address (after the server's trusted-proxy handling) and agent."""

from __future__ import annotations

from typing import Any

from litestar import Request

from auth_service.domain.accounts import ClientInfo
from qhitz_shared.text import without_control_characters

MAX_USER_AGENT = 512
# route options of an endpoint that needs no bearer token (a stale one is ignored)
PUBLIC = {"exclude_from_auth": True, "security": [{}]}


def client_info(request: Request[Any, Any, Any]) -> ClientInfo:
    user_agent = without_control_characters(request.headers.get("user-agent") or "")[:MAX_USER_AGENT]
    return ClientInfo(ip_address=request.client.host if request.client else None, user_agent=user_agent or None)


def bearer_token(request: Request[Any, Any, Any]) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
