"""Login sessions: one refresh-token family each, rotated generation by generation, with reuse detection."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from qhitz_shared.errors import NotFoundError, TokenRevokedError

MAX_GRACE_SECONDS = 60


class SessionNotFound(NotFoundError):
    code = "session_not_found"
    title = "Session not found"


class SessionRevoked(TokenRevokedError):
    code = "session_revoked"
    title = "The session has ended"


class RefreshTokenReused(TokenRevokedError):
    code = "refresh_token_reused"
    title = "A refresh token was used twice"


class AccountInactive(TokenRevokedError):
    code = "account_inactive"
    title = "The account is not active or its tokens were revoked"


class RevokeReason(enum.StrEnum):
    LOGOUT = "logout"
    LOGOUT_ALL = "logout_all"
    REVOKED = "revoked"
    REUSE_DETECTED = "reuse_detected"
    PASSWORD_CHANGED = "password_changed"
    ACCOUNT_CHANGED = "account_changed"


class RotationOutcome(enum.Enum):
    ROTATE = "rotate"  # the presented generation is the current one: advance it
    GRACE = "grace"  # the one just replaced, presented again within the grace interval: answer the current one
    REUSE = "reuse"  # an older generation, or the previous one too late: the family is compromised


@dataclass(slots=True)
class Session:
    """A device's login. ``generation`` counts refresh-token rotations; only the current one may rotate."""

    id: uuid.UUID
    user_id: uuid.UUID
    family_id: uuid.UUID
    generation: int
    expires_at: datetime
    user_agent: str | None = None
    ip_address: str | None = None
    created_at: datetime | None = None
    last_used_at: datetime | None = None
    rotated_at: datetime | None = None
    revoked_at: datetime | None = None
    revoked_reason: str | None = None

    def is_active(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now

    def ensure_usable(self, now: datetime) -> None:
        if self.revoked_at is not None:
            raise SessionRevoked(f"The session was ended ({self.revoked_reason or 'revoked'})")
        if self.expires_at <= now:
            raise SessionRevoked("The session has expired")

    def judge(self, presented: int, now: datetime, grace_seconds: int) -> RotationOutcome:
        """What presenting refresh-token generation ``presented`` means for this (unrevoked) session."""
        if presented == self.generation:
            return RotationOutcome.ROTATE
        recent = (
            grace_seconds > 0
            and self.rotated_at is not None
            and now - self.rotated_at <= timedelta(seconds=grace_seconds)
        )
        if presented == self.generation - 1 and recent:
            return RotationOutcome.GRACE
        return RotationOutcome.REUSE

    def revoke(self, reason: RevokeReason, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now
            self.revoked_reason = str(reason)


def reuse_error(session: Session) -> RefreshTokenReused:
    return RefreshTokenReused(
        "This refresh token was already used; every token of its session has been revoked",
        session_id=str(session.id),
    )
