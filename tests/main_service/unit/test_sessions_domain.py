"""Session rules: which presented generation rotates, which is forgiven (grace), which is reuse."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from main_service.domain.sessions import RevokeReason, RotationOutcome, Session, SessionRevoked

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def session(generation: int = 3, rotated_seconds_ago: float | None = 2) -> Session:
    return Session(
        id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        family_id=uuid.uuid4(),
        generation=generation,
        expires_at=NOW + timedelta(days=7),
        rotated_at=None if rotated_seconds_ago is None else NOW - timedelta(seconds=rotated_seconds_ago),
    )


@pytest.mark.parametrize(
    ("presented", "rotated_seconds_ago", "grace", "expected"),
    [
        (3, 2, 10, RotationOutcome.ROTATE),
        (3, None, 0, RotationOutcome.ROTATE),
        (2, 2, 10, RotationOutcome.GRACE),  # the token just replaced, within the grace interval
        (2, 11, 10, RotationOutcome.REUSE),  # the same, too late
        (2, 2, 0, RotationOutcome.REUSE),  # no grace configured
        (1, 2, 10, RotationOutcome.REUSE),  # two generations back: always reuse
        (4, 2, 10, RotationOutcome.REUSE),  # a generation never issued
    ],
)
def test_judge(presented: int, rotated_seconds_ago: float | None, grace: int, expected: RotationOutcome) -> None:
    assert session(3, rotated_seconds_ago).judge(presented, NOW, grace) is expected


def test_revoked_or_expired_sessions_are_unusable() -> None:
    live = session()
    live.ensure_usable(NOW)
    live.revoke(RevokeReason.LOGOUT, NOW)
    with pytest.raises(SessionRevoked, match="logout"):
        live.ensure_usable(NOW)
    assert not live.is_active(NOW)

    expired = session()
    expired.expires_at = NOW - timedelta(seconds=1)
    with pytest.raises(SessionRevoked, match="expired"):
        expired.ensure_usable(NOW)


def test_revoke_keeps_the_first_reason() -> None:
    s = session()
    s.revoke(RevokeReason.REUSE_DETECTED, NOW)
    s.revoke(RevokeReason.LOGOUT, NOW + timedelta(seconds=5))
    assert s.revoked_reason == "reuse_detected"
    assert s.revoked_at == NOW
