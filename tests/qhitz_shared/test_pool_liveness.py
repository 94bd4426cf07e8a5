"""Pooled connections the server dropped are replaced before use, without a ping on every checkout."""

from __future__ import annotations

import asyncio

import asyncpg
from sqlalchemy import event, text

from qhitz_shared.db import DatabaseSettings, create_engine
from tests.support import databases


async def _pooled_backend(engine) -> tuple[int, object]:
    async with engine.connect() as connection:
        pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        return pid, (await connection.get_raw_connection()).driver_connection


async def _terminate(pid: int) -> None:
    admin = await asyncpg.connect(databases.PG_SERVER)
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def test_a_connection_the_server_closed_is_replaced_without_a_round_trip(main_db_url: str):
    engine = create_engine(DatabaseSettings(url=main_db_url, pool_size=1, max_overflow=0, idle_ping_seconds=3600))
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    try:
        pid, driver = await _pooled_backend(engine)
        await _terminate(pid)
        for _ in range(1000):  # the state to wait for: asyncpg has seen the socket close
            if driver.is_closed():  # type: ignore[attr-defined]
                break
            await asyncio.sleep(0.01)
        assert driver.is_closed()  # type: ignore[attr-defined]
        new_pid, _ = await _pooled_backend(engine)
        assert new_pid != pid
        assert statements == ["SELECT pg_backend_pid()"] * 2  # no ping went to the server
    finally:
        await engine.dispose()


async def test_an_idle_connection_is_pinged_and_replaced_when_dead(main_db_url: str):
    """Past idle_ping_seconds (0 here: always) a checkout pings, so a connection killed just before is replaced
    whether or not asyncpg has noticed the close yet."""
    engine = create_engine(DatabaseSettings(url=main_db_url, pool_size=1, max_overflow=0, idle_ping_seconds=0))
    try:
        pid, _ = await _pooled_backend(engine)
        await _terminate(pid)
        new_pid, _ = await _pooled_backend(engine)
        assert new_pid != pid
    finally:
        await engine.dispose()
