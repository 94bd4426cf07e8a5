"""Ports every service with a database shares."""

from __future__ import annotations

from typing import Protocol


class UnitOfWork(Protocol):
    """Commits or rolls back the current transaction; services are the only callers."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class ServiceTokenSource(Protocol):
    """A valid service token for calls to another service's internal API (ServiceTokenClient, or a test's)."""

    async def token(self) -> str: ...

    def forget(self) -> None:
        """Drop a cached token the callee rejected."""
        ...
