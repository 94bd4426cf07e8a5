"""Which database errors are an outage (503 dependency_unavailable) and which are our bug (500)."""

from __future__ import annotations

import sqlite3

import asyncpg
import pytest
from sqlalchemy import exc

from qhitz_shared.db import database_unavailable


def wrapped(error: BaseException) -> exc.DBAPIError:
    """As SQLAlchemy raises a driver error: the driver's exception as ``orig`` and as the cause."""
    try:
        raise exc.DBAPIError("SELECT 1", {}, error) from error
    except exc.DBAPIError as raised:
        return raised


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        TimeoutError(),
        exc.TimeoutError("QueuePool limit reached"),
        OSError(113, "No route to host"),
        wrapped(asyncpg.DeadlockDetectedError("deadlock detected")),
        wrapped(asyncpg.SerializationError("could not serialize access")),
        wrapped(asyncpg.CannotConnectNowError("the database system is starting up")),
        wrapped(asyncpg.TooManyConnectionsError("too many clients")),
        wrapped(asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation")),
        wrapped(asyncpg.InterfaceError("connection is closed")),
        exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked")),
    ],
)
def test_outages_and_transient_refusals_are_unavailable(error: BaseException) -> None:
    assert database_unavailable(error)


@pytest.mark.parametrize(
    "error",
    [
        wrapped(asyncpg.UndefinedColumnError('column "x" does not exist')),
        wrapped(asyncpg.UniqueViolationError("duplicate key")),
        wrapped(asyncpg.CharacterNotInRepertoireError("invalid byte sequence")),
        FileNotFoundError(2, "No such file"),
        ValueError("bad"),
    ],
)
def test_mistakes_are_not_outages(error: BaseException) -> None:
    assert not database_unavailable(error)
