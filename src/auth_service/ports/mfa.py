"""TOTP state at main_service, and the key that encrypts secrets before they leave auth_service."""

from __future__ import annotations

import uuid
from typing import Protocol

from auth_service.domain.mfa import LoginChallenge


class MfaStore(Protocol):
    """main_service's /internal/v1/users/{id}/totp and recovery codes; raises MfaStateConflict or UserNotFound."""

    async def set_pending(self, user_id: uuid.UUID, encrypted_secret: str) -> None: ...

    async def enable(self, user_id: uuid.UUID, step: int, recovery_code_hashes: list[str]) -> None: ...

    async def accept_step(self, user_id: uuid.UUID, step: int, challenge: LoginChallenge | None = None) -> bool:
        """True once per step, only when later than the last accepted one (the replay guard). With a login's
        challenge, the step and the challenge are spent together; raises InvalidMfaChallenge (nothing spent) when
        the challenge completed a login already."""
        ...

    async def use_recovery_code(
        self, user_id: uuid.UUID, code_hash: str, challenge: LoginChallenge | None = None
    ) -> bool:
        """True once per code; the challenge as for accept_step."""
        ...

    async def disable(self, user_id: uuid.UUID) -> None: ...


class SecretBox(Protocol):
    """Authenticated symmetric encryption of TOTP secrets at rest (keys from configuration)."""

    def encrypt(self, secret: str) -> str: ...

    def decrypt(self, token: str) -> str:
        """Raises ValueError when no configured key opens it."""
        ...
