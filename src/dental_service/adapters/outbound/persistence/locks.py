"""SQLite's write lock, taken before a transaction reads what its write depends on.

SQLite has a single writer. A transaction whose check must not be overtaken by another one (no double booking; a
refund within what was paid in) first runs a no-op UPDATE of a row: that takes the database's write lock until
the transaction ends, so a concurrent transaction doing the same waits for this one to commit and only then reads,
and sees what it wrote. The UPDATE goes through a bare table (no onupdate defaults), so it changes nothing.
Elsewhere (PostgreSQL) it does nothing: there constraints and row locks serialise instead.
"""

from __future__ import annotations

import uuid

from advanced_alchemy.types import GUID
from sqlalchemy import Boolean, column, table
from sqlalchemy.ext.asyncio import AsyncSession


class SqliteWriteLock:
    """The write lock through one row of ``table_name``, a table with an ``id`` and an ``active`` column."""

    def __init__(self, table_name: str) -> None:
        self._rows = table(table_name, column("id", GUID()), column("active", Boolean()))

    async def take(self, session: AsyncSession, row_id: uuid.UUID) -> None:
        if session.bind.dialect.name == "sqlite":
            same = self._rows.c.id == row_id
            await session.execute(self._rows.update().where(same).values(active=self._rows.c.active))
