"""Single-use tokens mailed to users: what they are for, how long they live, how they are stored (SHA-256)."""

from __future__ import annotations

import enum
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

TOKEN_BYTES = 32  # 256 bits of randomness: a stored SHA-256 is as good as a slow hash for it
RESENDS_PER_HOUR = 3  # verification mails for one account an hour (registration's included)
RESETS_PER_WINDOW = 3  # mails for one account per reset lifetime; more requests are answered alike and dropped


class TokenPurpose(enum.StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"

    @property
    def lifetime(self) -> timedelta:
        return timedelta(hours=24) if self is TokenPurpose.VERIFY_EMAIL else timedelta(minutes=30)


def new_token() -> str:
    """URL-safe, 43 characters."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What is stored and looked up: hex SHA-256 of the token's UTF-8 bytes (64 characters)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class MailRequest:
    """A recorded request for a mailed link (the address as typed): the request is answered once it is recorded,
    the same way for every address; whether a mail follows is decided later, off the request path."""

    id: uuid.UUID
    purpose: TokenPurpose
    email: str
