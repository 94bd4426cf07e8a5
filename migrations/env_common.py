"""Shared Alembic runner: async engines for PostgreSQL (asyncpg) and SQLite (aiosqlite), batch mode on SQLite."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection, MetaData, pool
from sqlalchemy.ext.asyncio import create_async_engine


def run(metadata: MetaData, url: str) -> None:
    config = context.config
    url = config.attributes.get("url") or url

    def configure(**kwargs: object) -> None:
        context.configure(
            target_metadata=metadata,
            compare_type=True,
            render_as_batch=url.startswith("sqlite"),
            **kwargs,
        )

    if context.is_offline_mode():
        configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"})
        with context.begin_transaction():
            context.run_migrations()
        return

    def migrate(connection: Connection) -> None:
        configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(migrate)
        await engine.dispose()

    connection = config.attributes.get("connection")
    if connection is not None:
        migrate(connection)
    else:
        asyncio.run(run_async())
