"""The outcome of spending a second factor at login: the factor and the login's challenge are spent together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class LoginChallenge:
    """The two-factor challenge a code is given with: its jti (single use) and when it expires (UTC)."""

    jti: str
    expires_at: datetime


class Acceptance(StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"  # the code's step was used already (or a later one), the recovery code unknown or spent
    CHALLENGE_USED = "challenge_used"  # the challenge completed a login already: nothing was spent
