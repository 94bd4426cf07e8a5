"""Who is on the other end of a request: its address (after the server's trusted-proxy handling) and agent."""

from __future__ import annotations

from typing import Any

from litestar import Request

from auth_service.domain.accounts import ClientInfo
from qhitz_shared.errors import InvalidTokenError
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.text import without_control_characters
from qhitz_shared.tokens import TokenVerifier

MAX_USER_AGENT = 512
# route options of an endpoint that needs no bearer token (a stale one is ignored)
PUBLIC = {"exclude_from_auth": True, "security": [{}]}


def client_info(request: Request[Any, Any, Any]) -> ClientInfo:
    user_agent = without_control_characters(request.headers.get("user-agent") or "")[:MAX_USER_AGENT]
    return ClientInfo(ip_address=request.client.host if request.client else None, user_agent=user_agent or None)


def bearer_token(request: Request[Any, Any, Any]) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def calling_service(request: Request[Any, Any, Any], verifier: TokenVerifier, jwt: JwtSettings) -> str | None:
    """The service a PUBLIC route's caller is, by a valid service token in ``Authorization: Bearer`` (its ``svc``
    claim); None for anyone else: a missing, expired or forged token only leaves the caller anonymous."""
    token = bearer_token(request)
    if token is None:
        return None
    try:
        claims = await verifier.verify(token, [jwt.internal_audience])
    except InvalidTokenError:
        return None
    return claims.svc if claims.typ == "access" and claims.svc else None
