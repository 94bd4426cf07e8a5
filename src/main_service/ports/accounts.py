"""Ports of account recovery: mailed single-use tokens, and the mails that carry them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from main_service.domain.accounts import MailRequest, TokenPurpose
from main_service.domain.users import User


class AccountTokenRepository(Protocol):
    async def add(
        self, user_id: uuid.UUID, purpose: TokenPurpose, token_hash: str, email: str, expires_at: datetime
    ) -> None: ...

    async def find_live(self, purpose: TokenPurpose, token_hash: str, now: datetime) -> tuple[uuid.UUID, str] | None:
        """(user id, the address the token was mailed to) of an unused, unexpired token; None otherwise."""
        ...

    async def consume(self, purpose: TokenPurpose, token_hash: str, now: datetime) -> tuple[uuid.UUID, str] | None:
        """Like find_live, and marks it used in the same statement: of two concurrent calls only one gets it."""
        ...

    async def count_since(self, user_id: uuid.UUID, purpose: TokenPurpose, since: datetime) -> int: ...

    async def mark_email_verified(self, user_id: uuid.UUID, email: str, now: datetime) -> bool:
        """Sets email_verified_at when the user's address is still ``email``; False when it changed since."""
        ...


class MailRequestQueue(Protocol):
    """Requests for mailed links, recorded with one INSERT whatever the address (the same work for every one)."""

    async def add(self, purpose: TokenPurpose, email: str, now: datetime) -> None: ...

    async def take(self, limit: int) -> list[MailRequest]:
        """The oldest requests, locked until the transaction ends (PostgreSQL skips rows another loop holds)."""
        ...

    async def remove(self, ids: list[uuid.UUID]) -> None: ...


class AccountMail(Protocol):
    """Queues a mail in the caller's transaction (an outbox): it leaves only if that transaction commits."""

    async def verification(self, user: User, token: str) -> None: ...

    async def password_reset(self, user: User, token: str) -> None: ...


class EmailVerification(Protocol):
    """What registration and an email change start (services.accounts.AccountService)."""

    async def queue_verification(self, user: User) -> None:
        """A token and its mail in the caller's transaction; committed with the user's change."""
        ...
