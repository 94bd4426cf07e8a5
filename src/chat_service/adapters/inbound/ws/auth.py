"""Who opens a socket: the access token from the subprotocol ("bearer, <token>") or the ``token`` query."""

from __future__ import annotations

from typing import Any

from dishka import AsyncContainer
from litestar import WebSocket

from qhitz_shared.errors import InvalidTokenError
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.principal import Principal
from qhitz_shared.tokens import TokenVerifier

BEARER = "bearer"


def offered_token(socket: WebSocket[Any, Any, Any]) -> tuple[str | None, str | None]:
    """(token, subprotocol to echo). Browsers send ``Sec-WebSocket-Protocol: bearer, <token>``: the server must
    echo "bearer" or the browser fails the handshake. Tools that cannot set it pass ``?token=``."""
    offered = list(socket.scope.get("subprotocols") or [])
    if BEARER in offered:
        rest = [value for value in offered if value != BEARER]
        return (rest[0] if rest else None), BEARER
    return socket.query_params.get("token"), None


async def authenticate(container: AsyncContainer, token: str | None, principal_check: type | None) -> Principal:
    """A verified user principal (signature, issuer, audience, expiry, revocation); InvalidTokenError otherwise."""
    if not token:
        raise InvalidTokenError("An access token is required (subprotocol 'bearer, <token>' or ?token=)")
    verifier = await container.get(TokenVerifier)
    settings = await container.get(JwtSettings)
    claims = await verifier.verify(token, [settings.audience])
    if claims.typ != "access" or claims.svc is not None:
        raise InvalidTokenError("A user's access token is required")
    principal = Principal.from_claims(claims)
    if principal_check is not None:
        await (await container.get(principal_check)).check(principal)
    return principal
