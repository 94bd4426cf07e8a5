"""The OAuth2 client-credentials grant for services, and auth_service's own service token."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

from auth_service.domain.errors import InvalidClient, UnsupportedGrantType
from auth_service.services.security_log import security_log
from auth_service.services.tokens import TokenIssuer

CLIENT_CREDENTIALS = "client_credentials"


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


class ServiceTokenService:
    """Client secrets come from configuration. They are compared as SHA-256 digests with hmac.compare_digest, so
    neither a secret's content nor its length shows in the timing, and an unknown client costs the same."""

    def __init__(self, clients: Mapping[str, str], issuer: TokenIssuer) -> None:
        self._clients = {client_id: _digest(secret) for client_id, secret in clients.items()}
        self._issuer = issuer
        self._absent = _digest("no such client")

    def issue(self, grant_type: str | None, client_id: str | None, client_secret: str | None) -> tuple[str, int]:
        if grant_type != CLIENT_CREDENTIALS:
            raise UnsupportedGrantType("Only grant_type=client_credentials is supported")
        expected = self._clients.get(client_id or "")
        matches = hmac.compare_digest(expected or self._absent, _digest(client_secret or ""))
        if expected is None or not matches or not client_id:
            security_log.warning("service_token_refused", client_id=(client_id or "")[:64])
            raise InvalidClient("Unknown client or wrong secret")
        return self._issuer.service_token(client_id)


class OwnServiceToken:
    """auth_service's token for main_service's internal API, minted with its own key (no HTTP call to itself)
    and reused until shortly before it expires."""

    def __init__(self, issuer: TokenIssuer, client_id: str, *, margin_seconds: int = 30) -> None:
        self._issuer = issuer
        self._client_id = client_id
        self._margin = margin_seconds
        self._token: str | None = None
        self._expires_at = 0.0

    def token(self) -> str:
        now = time.monotonic()
        if self._token is None or now >= self._expires_at - self._margin:
            self._token, ttl = self._issuer.service_token(self._client_id)
            self._expires_at = now + ttl
        return self._token

    def forget(self) -> None:
        self._token = None
