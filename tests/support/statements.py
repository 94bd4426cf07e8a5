"""Counting the SQL statements an engine sends: hot read paths keep a fixed round-trip budget."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# what a pooled connection's liveness ping sends (qhitz_shared.db.check_liveness_on_checkout): not ours
_PINGS = {";", "BEGIN;", "ROLLBACK;", "BEGIN", "ROLLBACK"}


@contextmanager
def recorded_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every statement the engine's connections run inside the block (connection pings are not statements of ours).

    Two taps, because hot reads (``qhitz_shared.db.HotStatement``) run straight on asyncpg, past SQLAlchemy's events:
    SQLAlchemy's ``before_cursor_execute`` sees what goes through it, and on asyncpg each checked-out connection's
    query logger sees what is sent on the driver directly (asyncpg does not log the prepared statements SQLAlchemy
    runs, so nothing is counted twice)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    def logged(query: Any) -> None:
        if query.query.strip() not in _PINGS:
            seen.append(query.query)

    def checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        driver = getattr(dbapi_connection, "driver_connection", None)
        if hasattr(driver, "add_query_logger"):
            driver.add_query_logger(logged)

    def checkin(dbapi_connection: Any, _record: Any) -> None:
        driver = getattr(dbapi_connection, "driver_connection", None)
        if hasattr(driver, "remove_query_logger"):
            driver.remove_query_logger(logged)

    taps = [("before_cursor_execute", record), ("checkout", checkout), ("checkin", checkin)]
    for name, tap in taps:
        event.listen(engine.sync_engine, name, tap)
    try:
        yield seen
    finally:
        for name, tap in taps:
            event.remove(engine.sync_engine, name, tap)
