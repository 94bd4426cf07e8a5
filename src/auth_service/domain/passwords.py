"""The password policy's plain rules; the strength score (zxcvbn) is added by the policy service."""

from __future__ import annotations

from auth_service.domain.errors import WeakPassword

MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn: 0 (too guessable) .. 4 (very unguessable)
MIN_FRAGMENT = 3  # an email local part shorter than this is not worth refusing on


def personal_fragments(email: str, username: str) -> list[str]:
    local_part = email.split("@", 1)[0].strip().lower()
    return [part for part in {local_part, username.strip().lower()} if len(part) >= MIN_FRAGMENT]


def check_rules(password: str, email: str, username: str) -> None:
    """Length and personal data; raises WeakPassword with the reason in the detail."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"The password needs at least {MIN_LENGTH} characters", reason="too_short")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"The password has at most {MAX_LENGTH} characters", reason="too_long")
    lowered = password.lower()
    for fragment in personal_fragments(email, username):
        if fragment in lowered:
            raise WeakPassword(
                "The password must not contain your username or the part of your email before the @",
                reason="contains_personal_data",
            )


def check_score(score: int, feedback: str | None) -> None:
    if score < MIN_SCORE:
        detail = "The password is too easy to guess"
        raise WeakPassword(f"{detail}: {feedback}" if feedback else detail, reason="too_guessable", score=score)
