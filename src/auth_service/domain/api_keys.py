"""Personal access tokens: ``qhz_`` and 43 random URL-safe characters (256 bits); only the SHA-256 is stored, and
the first 12 characters are shown to tell keys apart."""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from auth_service.domain.errors import InvalidClientIp
from qhitz_shared.api_keys import API_KEY_PREFIX

KEY_PREFIX = API_KEY_PREFIX
SHOWN = 12


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def api_key_digest(key: str) -> str:
    """Hex SHA-256 of the key: a 256-bit random key needs no slow hash."""
    return hashlib.sha256(key.encode()).hexdigest()


def shown_prefix(key: str) -> str:
    return key[:SHOWN]


def exchange_limit_key(caller_ip: str | None, service: str | None, end_client_ip: str | None) -> str:
    """The address an exchange is counted against: the end client's, forwarded by a service that authenticated
    with its service token (every user of that service would otherwise share the service's own allowance); else
    the caller's own. The forwarded address must be an IP literal (canonical form, so one address is one key),
    and is ignored from an unauthenticated caller, who could otherwise pick a fresh key per attempt."""
    forwarded = _ip_literal(end_client_ip) if end_client_ip is not None else None
    if service and forwarded is not None:
        return forwarded
    return caller_ip or "unknown"


def _ip_literal(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise InvalidClientIp("client_ip must be an IPv4 or IPv6 address", field="client_ip") from None


def invalid_scopes(requested: list[str], permissions: list[str]) -> list[str]:
    """The requested scopes the user does not hold (a key has at most its owner's permissions)."""
    return sorted(set(requested) - set(permissions))


@dataclass(frozen=True, slots=True)
class ApiKeyView:
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
