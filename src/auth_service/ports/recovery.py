"""Account recovery state at main_service: mailed verification and reset tokens (main mails them)."""

from __future__ import annotations

from typing import Protocol

from auth_service.domain.accounts import Account


class AccountRecovery(Protocol):
    async def resend_verification(self, email: str) -> None:
        """main records the request (alike for every address) and later mails a new link when an active account
        has this unverified address."""
        ...

    async def verify_email(self, token: str) -> Account:
        """Raises VerificationTokenInvalid."""
        ...

    async def request_password_reset(self, email: str) -> None:
        """main records the request (alike for every address) and later mails a reset link when an active account
        has this address."""
        ...

    async def reset_target(self, token: str) -> Account:
        """The account of a live reset token; raises ResetTokenInvalid."""
        ...

    async def complete_password_reset(self, token: str, password_hash: str) -> Account:
        """Spends the token, stores the hash, bumps token_version, ends every session; raises ResetTokenInvalid."""
        ...
