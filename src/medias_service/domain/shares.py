"""Share links: what they give access to, their state, and their tokens (only a token's hash is stored)."""

from __future__ import annotations

import enum
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from medias_service.domain.errors import InvalidShare

TOKEN_BYTES = 32  # 256 bits of randomness, URL-safe base64: 43 characters
MAX_TOKEN_LENGTH = 64
MAX_PASSWORD = 256


class ShareState(enum.StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    EXHAUSTED = "exhausted"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """sha256 hex of the token: what the database holds and looks links up by."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(slots=True)
class ShareLink:
    id: uuid.UUID
    owner_id: uuid.UUID
    media_id: uuid.UUID | None
    folder_id: uuid.UUID | None
    password_hash: str | None = None
    expires_at: datetime | None = None
    max_downloads: int | None = None
    allow_download: bool = True
    download_count: int = 0
    access_count: int = 0
    last_access_at: datetime | None = None
    revoked_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def state(self, now: datetime) -> ShareState:
        if self.revoked_at is not None:
            return ShareState.REVOKED
        if self.expires_at is not None and self.expires_at <= now:
            return ShareState.EXPIRED
        if self.max_downloads is not None and self.download_count >= self.max_downloads:
            return ShareState.EXHAUSTED
        return ShareState.ACTIVE


def check_settings(expires_at: datetime | None, max_downloads: int | None, now: datetime) -> None:
    """An expiry in the future (aware), a download limit of at least 1."""
    if expires_at is not None and expires_at <= now:
        raise InvalidShare("expires_at must be in the future", field="expires_at")
    if max_downloads is not None and max_downloads < 1:
        raise InvalidShare("max_downloads is at least 1", field="max_downloads")


def check_password(password: str) -> str:
    if not 1 <= len(password) <= MAX_PASSWORD:
        raise InvalidShare(f"A link password has 1 to {MAX_PASSWORD} characters", field="password")
    return password


@dataclass(frozen=True, slots=True)
class ShareTarget:
    """What an open link gives access to: one media, or one folder (the root of what is shared)."""

    link: ShareLink
    name: str
    media_id: uuid.UUID | None = None
    folder_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class ShareChanges:
    """A PATCH: each ``set_*`` says the field was sent (None then clears it)."""

    set_password: bool = False
    password: str | None = None
    set_expires_at: bool = False
    expires_at: datetime | None = None
    set_max_downloads: bool = False
    max_downloads: int | None = None
    allow_download: bool | None = None
