"""Throw-away PostgreSQL databases for a test run, migrated with the real Alembic environments."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parents[2]
# The server tests create databases on; override with QHITZ_TEST_PG (a plain postgresql:// URL).
PG_SERVER = os.environ.get("QHITZ_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _server_url(database: str) -> str:
    base, _, _ = PG_SERVER.rpartition("/")
    return f"{base}/{database}"


def async_url(database: str) -> str:
    return _server_url(database).replace("postgresql://", "postgresql+asyncpg://", 1)


def create_database(prefix: str) -> str:
    name = f"qhitz_test_{prefix}_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        connection = await asyncpg.connect(PG_SERVER)
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(create())
    return name


def drop_database(name: str) -> None:
    async def drop() -> None:
        connection = await asyncpg.connect(PG_SERVER)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    asyncio.run(drop())


def alembic_config(section: str, url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"), ini_section=section)
    config.attributes["url"] = url
    return config


def migrate(section: str, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(section, url), revision)


def downgrade(section: str, url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(section, url), revision)


@contextmanager
def migrated(section: str, prefix: str) -> Iterator[str]:
    """A throw-away database migrated to head with ``section``'s Alembic environment (main, medias); yields its
    asyncpg URL and drops it afterwards, also when the migration fails."""
    name = create_database(prefix)
    try:
        url = async_url(name)
        migrate(section, url)
        yield url
    finally:
        drop_database(name)
