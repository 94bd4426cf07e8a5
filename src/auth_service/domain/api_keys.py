"""Personal access tokens: ``qhz_`` and 43 random URL-safe characters (256 bits); only the SHA-256 is stored, and
the first 12 characters are shown to tell keys apart."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

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
