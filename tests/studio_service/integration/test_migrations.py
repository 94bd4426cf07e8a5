"""studiodb's migration stairway: upgrade to head, down to base, up again (PostgreSQL and SQLite); the models and
the migrations agree (autogenerate finds nothing to do); main's 0006 puts studio's permissions in the catalogue."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from studio_service.adapters.outbound.persistence.models import metadata
from tests.support import databases

STUDIO_TABLES = {"projects", "assets", "credit_accounts", "credit_ledger", "jobs", "subscriptions", "stripe_events"}


def inspect(url: str) -> tuple[set[str], list]:
    async def read() -> tuple[set[str], list]:
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: set(sync.dialect.get_table_names(sync)))
            diff = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
            )
        await engine.dispose()
        return names, diff

    return asyncio.run(read())


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_db(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/stairway.db"
        return
    name = databases.create_database("studio_stairway")
    try:
        yield databases.async_url(name)
    finally:
        databases.drop_database(name)


def test_stairway(empty_db) -> None:
    databases.migrate("studio", empty_db)
    first, diff = inspect(empty_db)
    assert STUDIO_TABLES | {"outbox_event"} <= first
    if empty_db.startswith("postgresql"):  # SQLite reflects GUID and timezone types differently: no signal there
        assert diff == []
    databases.downgrade("studio", empty_db)
    assert inspect(empty_db)[0] <= {"alembic_version", "alembic_versions"}
    databases.migrate("studio", empty_db)
    assert inspect(empty_db)[0] == first


async def test_main_catalogue_has_the_studio_permissions(main_db_url: str) -> None:
    connection = await asyncpg.connect(main_db_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await connection.fetch(
            "SELECT r.name, p.code FROM role_permissions rp JOIN roles r ON r.id = rp.role_id "
            "JOIN permissions p ON p.id = rp.permission_id WHERE p.code LIKE 'studio:%' OR p.code = 'credits:adjust'"
        )
    finally:
        await connection.close()
    held = {(row["name"], row["code"]) for row in rows}
    assert {("user", "studio:use"), ("moderator", "studio:read:any"), ("moderator", "studio:write:any")} <= held
    assert ("admin", "credits:adjust") in held and ("user", "credits:adjust") not in held
