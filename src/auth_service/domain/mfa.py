"""Two-factor rules: TOTP codes (RFC 6238, 6 digits, 30 s steps, one step of clock drift either way) and recovery
codes (ten, single use, stored as SHA-256)."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

RECOVERY_CODES = 10
DRIFT_STEPS = 1
_CODE = re.compile(r"^\d{6}$")
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt


def clean_code(code: str) -> str | None:
    """The six digits of a typed TOTP code (spaces allowed), or None when it cannot be one."""
    digits = code.replace(" ", "")
    return digits if _CODE.match(digits) else None


def new_recovery_codes() -> list[str]:
    """Ten codes of ten characters (about 50 bits each), shown as xxxxx-xxxxx."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def recovery_code_digest(code: str) -> str:
    """SHA-256 hex of the code without separators, lower-cased: what main_service stores and compares."""
    return hashlib.sha256(re.sub(r"[\s-]", "", code).lower().encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LoginChallenge:
    """A read two-factor challenge: whose login (and its token_version then), its jti (it completes one login)
    and when it expires (UTC)."""

    user_id: uuid.UUID
    token_version: int
    jti: str
    expires_at: datetime
