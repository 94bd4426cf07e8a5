"""The password policy: plain rules from the domain, then zxcvbn's score, computed off the event loop."""

from __future__ import annotations

import asyncio

from zxcvbn import zxcvbn

from auth_service.domain.passwords import check_rules, check_score

# zxcvbn's cost grows fast with length (hundreds of ms at 128 characters): score a bounded prefix, which is
# as strong as the password or weaker, never stronger.
SCORED_PREFIX = 64


class PasswordPolicy:
    """8 to 128 characters, not containing the username or the email's local part, zxcvbn score of at least 3."""

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
