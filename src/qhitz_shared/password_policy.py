"""The password policy, the same wherever a password is chosen (registration, change, the admin command): plain
rules, then zxcvbn's strength score, computed off the event loop."""

from __future__ import annotations

import asyncio

from zxcvbn import zxcvbn

from qhitz_shared.errors import InvalidInputError

MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn: 0 (too guessable) .. 4 (very unguessable)
MIN_FRAGMENT = 3  # an email local part shorter than this is not worth refusing on
# zxcvbn's cost grows fast with length (hundreds of ms at 128 characters): score a bounded prefix, which is
# as strong as the password or weaker, never stronger.
SCORED_PREFIX = 64


class WeakPassword(InvalidInputError):
    code = "weak_password"
    title = "The password does not meet the policy"


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


class PasswordPolicy:
    """8 to 128 characters, not containing the username or the email's local part, zxcvbn score of at least 3.
    ``check`` raises WeakPassword (422 weak_password, with the reason)."""

    def __init__(self, *, max_concurrency: int = 2) -> None:
        self._gate = asyncio.Semaphore(max_concurrency)

    async def check(self, password: str, *, email: str, username: str) -> None:
        check_rules(password, email, username)
        async with self._gate:
            score, feedback = await asyncio.to_thread(self._score, password, [email, username])
        check_score(score, feedback)

    @staticmethod
    def _score(password: str, user_inputs: list[str]) -> tuple[int, str | None]:
        result = zxcvbn(password[:SCORED_PREFIX], user_inputs=[value for value in user_inputs if value])
        feedback = result.get("feedback") or {}
        hints = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
        return int(result["score"]), " ".join(hint for hint in hints if hint) or None
