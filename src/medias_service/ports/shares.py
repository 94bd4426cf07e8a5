"""Share links: their rows, their counters, password checks and the short-lived access tokens of unlocked links."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from medias_service.domain.shares import ShareLink
from qhitz_shared.pagination import PageRequest


class ShareRepository(Protocol):
    async def add(self, link: ShareLink, token_hash: str) -> None: ...

    async def get(self, link_id: uuid.UUID, *, lock: bool = False) -> ShareLink | None: ...

    async def by_token_hash(self, token_hash: str) -> ShareLink | None: ...

    async def list(self, owner_id: uuid.UUID, page: PageRequest) -> tuple[list[ShareLink], int]:
        """Every link of the owner (expired and revoked too), newest first."""
        ...

    async def save(self, link: ShareLink) -> None:
        """Persist password hash, expiry, download limit, allow_download and revocation."""
        ...


class ShareCounters(Protocol):
    """Single atomic statements, each committed on its own (they must hold whatever the request does next)."""

    async def record_access(self, link_id: uuid.UUID, now: datetime) -> None: ...

    async def claim_download(self, link_id: uuid.UUID, now: datetime) -> bool:
        """Count one download if the link still allows one (active, under max_downloads); False otherwise. Two
        clients racing for the last download: one gets True."""
        ...

    async def give_back_download(self, link_id: uuid.UUID) -> None:
        """A claimed download that did not complete does not count."""
        ...


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...


class AttemptLimiter(Protocol):
    async def hit(self, rule: str, key: str) -> None:
        """Count one attempt; RateLimitedError (retry_after) past the rule's limit."""
        ...


class ShareAccessTokens(Protocol):
    def issue(self, link: ShareLink) -> tuple[str, int]:
        """A token proving the link's password was given: (token, seconds it stays valid)."""
        ...

    def valid(self, token: str, link: ShareLink) -> bool:
        """Issued for this link and its current password, and not expired."""
        ...
