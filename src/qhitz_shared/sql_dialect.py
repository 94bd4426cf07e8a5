"""INSERT ... ON CONFLICT for the database in use (PostgreSQL in production, SQLite for development)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def upsert(session: AsyncSession, table: Any) -> Any:
    bind = session.bind
    name = bind.dialect.name if bind is not None else "postgresql"
    return (sqlite.insert if name == "sqlite" else postgresql.insert)(table)
