"""Migration stairway: upgrade to head, down to base, up again — on a fresh PostgreSQL database and on SQLite."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support import databases


def table_names(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: set(sync.dialect.get_table_names(sync)))
            roles = (
                set((await connection.execute(text("SELECT name FROM roles"))).scalars()) if "roles" in names else set()
            )
        await engine.dispose()
        return names | {f"role:{r}" for r in roles}

    return asyncio.run(read())


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_db(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/stairway.db"
        return
    name = databases.create_database("stairway")
    try:
        yield databases.async_url(name)
    finally:
        databases.drop_database(name)


def test_stairway(empty_db):
    databases.migrate("main", empty_db)
    first = table_names(empty_db)
    assert {"users", "roles", "permissions", "role_permissions", "user_roles"} <= first
    assert {"role:admin", "role:moderator", "role:user", "role:receptionist", "role:dentist"} <= first
    databases.downgrade("main", empty_db)
    assert table_names(empty_db) <= {"alembic_version"}
    databases.migrate("main", empty_db)
    assert table_names(empty_db) == first
