"""Users: the entity, its statuses and the rules for emails, usernames and names."""

from __future__ import annotations

import enum
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from main_service.domain.errors import InvalidStatusTransition, InvalidUserData
from qhitz_shared.text import clean_text, nfc

_EMAIL = re.compile(
    r"^[^@\s\x00-\x1f\x7f-\x9f]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$"
)
_USERNAME = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{1,30}[a-z0-9])$")
MAX_NAME = 100
MAX_EMAIL = 254
MAX_USERNAME = 32


class UserStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DEACTIVATED = "deactivated"


def normalize_email(value: str) -> str:
    """Emails compare case-insensitively and by their NFC form: stored NFC, trimmed and lower-cased."""
    email = nfc(nfc(value).strip().lower())
    if len(email) > MAX_EMAIL or not _EMAIL.match(email):
        raise InvalidUserData("The email address is not valid", field="email")
    return email


def normalize_username(value: str) -> str:
    """3 to 32 characters: lower-case letters, digits, dot, dash, underscore; starts and ends alphanumeric."""
    username = nfc(value).strip().lower()
    if not _USERNAME.match(username):
        raise InvalidUserData(
            "A username has 3 to 32 characters: letters, digits, '.', '-' or '_', starting and ending with a "
            "letter or digit",
            field="username",
        )
    return username


def normalize_name(value: str | None, field_name: str) -> str | None:
    if value is None:
        return None
    return clean_text(value, field=field_name, max_length=MAX_NAME, error=InvalidUserData) or None


def looks_like_email(login: str) -> bool:
    return "@" in login


@dataclass(slots=True)
class User:
    id: uuid.UUID
    email: str
    username: str
    password_hash: str | None
    first_name: str | None = None
    last_name: str | None = None
    status: UserStatus = UserStatus.ACTIVE
    token_version: int = 0
    last_login_at: datetime | None = None
    email_verified_at: datetime | None = None  # cleared when the email changes
    totp_enabled_at: datetime | None = None
    totp_secret: str | None = field(default=None, repr=False)  # encrypted by auth_service; pending until enabled
    created_at: datetime | None = None
    updated_at: datetime | None = None
    roles: list[str] = field(default_factory=list)
    permissions: list[str] = field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.status is UserStatus.ACTIVE

    def revoke_tokens(self) -> None:
        """Every token carries ``ver``; bumping it invalidates all tokens issued before."""
        self.token_version += 1

    def suspend(self) -> None:
        if self.status is not UserStatus.ACTIVE:
            raise InvalidStatusTransition(f"Only an active user can be suspended; this one is {self.status}")
        self.status = UserStatus.SUSPENDED
        self.revoke_tokens()

    def reactivate(self) -> None:
        if self.status is UserStatus.ACTIVE:
            raise InvalidStatusTransition("The user is already active")
        self.status = UserStatus.ACTIVE
        self.revoke_tokens()

    def deactivate(self) -> None:
        if self.status is UserStatus.DEACTIVATED:
            raise InvalidStatusTransition("The user is already deactivated")
        self.status = UserStatus.DEACTIVATED
        self.revoke_tokens()


@dataclass(frozen=True, slots=True)
class UserChanges:
    """A partial update; ``None`` means 'leave as is' (names are cleared with an empty string)."""

    email: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None


@dataclass(frozen=True, slots=True)
class UserFilter:
    q: str | None = None
    role: str | None = None
    status: UserStatus | None = None


@dataclass(frozen=True, slots=True)
class UserLimits:
    max_upload_bytes: int
    storage_quota_bytes: int
    must_verify_email: bool = False  # require-verified-email applies and the address is unverified: no uploads
