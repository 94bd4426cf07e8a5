"""Runs a data migration between two revisions on a throw-away database (PostgreSQL or SQLite)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support import databases


@pytest.fixture(params=["postgresql", "sqlite"])
def blank_db(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/nfc.db"
        return
    name = databases.create_database("nfc")
    try:
        yield databases.async_url(name)
    finally:
        databases.drop_database(name)


def run_sync(url: str, work: Callable[[Connection], Any]) -> Any:
    """``work`` on one connection, committed."""

    async def run() -> Any:
        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                return await connection.run_sync(work)
        finally:
            await engine.dispose()

    return asyncio.run(run())
