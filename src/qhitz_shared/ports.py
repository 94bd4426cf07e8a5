"""Ports every service with a database shares."""

from __future__ import annotations

from typing import Protocol


class UnitOfWork(Protocol):
    """Commits or rolls back the current transaction; services are the only callers."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
