"""What auth_service knows about users and their sessions: views of main_service's records, plus tokens."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime


class AccountStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DEACTIVATED = "deactivated"


@dataclass(frozen=True, slots=True)
class Account:
    id: uuid.UUID
    email: str
    username: str
    password_hash: str | None
    status: AccountStatus
    token_version: int
    roles: list[str] = field(default_factory=list)
    permissions: list[str] = field(default_factory=list)
    email_verified: bool = False
    must_verify_email: bool = False  # the require-verified-email flag applies and the address is unverified
    totp_enabled: bool = False
    totp_secret: str | None = field(default=None, repr=False)  # encrypted; pending until totp_enabled

    @property
    def is_active(self) -> bool:
        return self.status is AccountStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class LoginSession:
    """One device's login in main_service's sessions table; ``generation`` is the current refresh token's."""

    id: uuid.UUID
    user_id: uuid.UUID
    family_id: uuid.UUID
    generation: int
    expires_at: datetime
    active: bool = True
    user_agent: str | None = None
    ip_address: str | None = None
    created_at: datetime | None = None
    last_used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """Where a request comes from, as recorded on the session it opens."""

    ip_address: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    token_type: str = "Bearer"


@dataclass(frozen=True, slots=True)
class Registration:
    email: str
    username: str
    password: str
    first_name: str | None = None
    last_name: str | None = None


class RevokeReason(enum.StrEnum):
    """Mirrors main_service's reasons; recorded on the session."""

    LOGOUT = "logout"
    LOGOUT_ALL = "logout_all"
    REVOKED = "revoked"
    PASSWORD_CHANGED = "password_changed"
