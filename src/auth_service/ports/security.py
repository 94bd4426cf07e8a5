"""Password hashing and rate limiting ports."""

from __future__ import annotations

from typing import Protocol

from auth_service.domain.limits import RateRule


class PasswordHasher(Protocol):
    """argon2id off the event loop (qhitz_shared.passwords.Argon2PasswordHasher)."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    async def verify_dummy(self, password: str) -> None:
        """Costs what a real verification costs, for accounts that do not exist."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class RateLimiter(Protocol):
    """Counts attempts per rule and key (an IP, an account); raises RateLimitedError with retry_after."""

    async def hit(self, rule: RateRule, key: str) -> None:
        """Count one attempt; raises when the limit is exceeded."""
        ...

    async def check(self, rule: RateRule, key: str) -> None:
        """Raise when the limit is already reached, without counting."""
        ...
