"""SQLAlchemy engine, session and unit of work, identical for every service that owns a database."""

from __future__ import annotations

import contextlib
import errno
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
from dishka import Provider, Scope, provide
from sqlalchemy import Boolean, Select, event, exc, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.functions import FunctionElement

from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork


class DatabaseSettings(msgspec.Struct, frozen=True):
    """<SERVICE>_DB_*: the service's own database. SQLite by default, PostgreSQL (asyncpg) in production.

    The timeouts (seconds) bound how long a request waits on a database that is down or silently stuck before it
    answers 503 dependency_unavailable: connect_timeout_seconds to open a connection, statement_timeout_seconds
    for one statement (a round trip on an open connection, the pool's liveness ping included),
    pool_timeout_seconds for a free connection when the pool is exhausted.

    pool_size connections are kept open; max_overflow more are opened at peaks and closed again when returned, so
    under sustained load every overflow checkout pays a new connection (TCP, authentication, setup: about a tenth
    of a hot read's CPU, measured at 32 concurrent reads). Hence a pool that covers a worker's concurrency and no
    overflow by default: a request beyond it waits for a free connection (a statement's time; pool_timeout_seconds
    at most) instead."""

    url: str
    pool_size: int = 20
    max_overflow: int = 0
    echo: bool = False
    connect_timeout_seconds: float = 1.5
    statement_timeout_seconds: float = 3.0
    pool_timeout_seconds: float = 3.0
    idle_ping_seconds: float = 10.0  # a pooled connection idle this long is pinged before use


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    url = make_url(settings.url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, echo=settings.echo, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    connect_args: dict[str, Any] = {}
    if url.get_driver_name() == "asyncpg":
        connect_args = {
            "server_settings": {"timezone": "UTC"},
            "timeout": settings.connect_timeout_seconds,
            "command_timeout": settings.statement_timeout_seconds,
        }
    engine = create_async_engine(
        url,
        connect_args=connect_args,
        echo=settings.echo,
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        pool_timeout=settings.pool_timeout_seconds,
    )
    check_liveness_on_checkout(engine, idle_ping_seconds=settings.idle_ping_seconds)
    return engine


def check_liveness_on_checkout(engine: AsyncEngine, *, idle_ping_seconds: float) -> None:
    """What pool_pre_ping guards against, without its price on every request.

    SQLAlchemy's pre-ping costs three round trips per checkout with asyncpg (BEGIN, ";", ROLLBACK), more than a
    hot read itself. Instead: a connection the server closed (a restart, an idle kill) is seen locally by asyncpg
    at no cost; only a connection idle for ``idle_ping_seconds`` (a proxy may have dropped it silently) is pinged.
    A failed check discards the connection and the pool hands out another (SQLAlchemy retries the checkout).
    """

    @event.listens_for(engine.sync_engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        driver = record.driver_connection
        if driver is not None and driver.is_closed():
            raise DisconnectionError("the server closed this pooled connection")
        returned_at = record.info.get("returned_at")
        if returned_at is not None and time.monotonic() - returned_at >= idle_ping_seconds:
            try:
                dbapi_connection.ping()
            except Exception as exc:  # whatever the driver raises, the connection is not usable
                raise DisconnectionError(f"ping failed: {exc!r}") from exc


class SqlaUnitOfWork:
    """The one owner of a request's transaction: services call commit(); anything uncommitted is rolled back."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


class AutocommitEngine:
    """The service's engine in autocommit mode, made once (APP scope; deriving it costs more than a hot read):
    for ``HotStatement``s, each committed on its own, on a connection held only while it runs (never while a
    request's session holds another, so a busy pool cannot deadlock on itself)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine.execution_options(isolation_level="AUTOCOMMIT")


class DatabaseProvider(Provider):
    """APP: engine, its autocommit twin and sessionmaker. REQUEST: one session (rolled back and closed at the end)
    and its unit of work."""

    @provide(scope=Scope.APP)
    async def engine(self, settings: DatabaseSettings) -> AsyncIterator[AsyncEngine]:
        engine = create_engine(settings)
        yield engine
        await engine.dispose()

    autocommit_engine = provide(AutocommitEngine, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def sessionmaker(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        return async_sessionmaker(engine, expire_on_commit=False)

    @provide(scope=Scope.REQUEST)
    async def session(self, sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
        session = sessionmaker()
        try:
            yield session
        finally:
            await close_session(session)

    @provide(scope=Scope.REQUEST, provides=UnitOfWork)
    def unit_of_work(self, session: AsyncSession) -> SqlaUnitOfWork:
        return SqlaUnitOfWork(session)


async def paged(session: AsyncSession, query: Select[Any], page: PageRequest, *order_by: Any) -> tuple[list[Any], int]:
    """One page of ``query``'s ORM objects in ``order_by`` order, and how many rows the whole query has (two
    round trips: the count, then the page)."""
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = await session.scalars(query.order_by(*order_by).offset(page.offset).limit(page.limit))
    return list(rows), total


async def close_session(session: AsyncSession) -> None:
    """Close a request's session (rolling back what was not committed). When the database went away meanwhile the
    rollback itself fails; the server has aborted the transaction anyway, so the connection is discarded and the
    request keeps the answer it already has (503) instead of failing in its cleanup."""
    try:
        await session.close()
    except Exception as exc:
        if not database_unavailable(exc):
            raise
        with contextlib.suppress(Exception):
            await session.invalidate()


def escape_like(text: str) -> str:
    """``text`` for a LIKE pattern with ``escape="\\"``: its own %, _ and backslashes match literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def upsert(session: AsyncSession, table: Any) -> Any:
    """INSERT ... ON CONFLICT for the database in use (PostgreSQL in production, SQLite for development)."""
    bind = session.bind
    name = bind.dialect.name if bind is not None else "postgresql"
    return (sqlite.insert if name == "sqlite" else postgresql.insert)(table)


def violated_constraint(exc: BaseException) -> str:
    """The constraint an IntegrityError names: asyncpg gives its name, SQLite only a message with table.column."""
    seen: BaseException | None = exc
    while seen is not None:
        name = getattr(seen, "constraint_name", None)
        if name:
            return str(name)
        seen = seen.__cause__ or getattr(seen, "orig", None)
    return str(getattr(exc, "orig", exc))


def translate_integrity_error(exc: BaseException, table: dict[str, type[Exception]]) -> Exception | None:
    """Map a violated constraint to a domain error by constraint name (PostgreSQL) or table.column (SQLite)."""
    where = violated_constraint(exc)
    for key, error in table.items():
        if key in where:
            return error()
    return None


# Driver errors that say the server is out of reach or refused to serve now, not that the statement was wrong.
_UNAVAILABLE_ERRORS = (
    exc.TimeoutError,  # no free connection in the pool within pool_timeout_seconds
    TimeoutError,  # connect or statement timeout
    ConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.InterfaceError,  # "connection is closed", "another operation is in progress" after a cut
    asyncpg.TransactionRollbackError,  # deadlock or serialization failure: the same request may succeed again
)
_NETWORK_ERRNOS = frozenset(
    {errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ETIMEDOUT}
)


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) means the database is unreachable, too slow, or transiently refusing
    (deadlock, serialization failure): a 503 dependency_unavailable, never a 500. Wrong SQL or a violated
    constraint is not."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, _UNAVAILABLE_ERRORS):
            return True
        if isinstance(current, exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, exc.OperationalError) and "database is locked" in str(current):  # SQLite, busy
            return True
        if isinstance(current, OSError) and current.errno in _NETWORK_ERRNOS:
            return True
        if isinstance(current, OSError) and "Multiple exceptions" in str(current):  # every address refused
            return True
        todo += [current.__cause__, getattr(current, "orig", None)]  # not __context__: a bug while handling stays 500
    return False


class commit_need_not_wait(FunctionElement):  # noqa: N801 -- a SQL expression, named like one
    """A condition that is always true and, on PostgreSQL, lets the transaction it runs in commit without waiting
    for its WAL flush (``set_config('synchronous_commit', 'off', true)``): for a statement in a transaction of its
    own whose loss in a crash does no harm (a lease that would have run out anyway). It costs no extra round
    trip, unlike ``SET LOCAL``. Elsewhere (SQLite) it is a plain true."""

    type = Boolean()
    inherit_cache = True
    name = "commit_need_not_wait"


@compiles(commit_need_not_wait)
def _commit_need_not_wait(element: commit_need_not_wait, compiler: Any, **kw: Any) -> str:
    return "1 = 1"


@compiles(commit_need_not_wait, "postgresql")
def _commit_need_not_wait_postgresql(element: commit_need_not_wait, compiler: Any, **kw: Any) -> str:
    return "set_config('synchronous_commit', 'off', true) = 'off'"


class HotStatement:
    """A constant Core statement a hot path runs on every request (a select, or a write with RETURNING), with
    the rows as plain tuples.

    On asyncpg it is compiled once and run as a prepared statement straight on the pooled connection's driver,
    the parameters passed through their types' bind processors as SQLAlchemy would: for a one-row statement
    SQLAlchemy's execution layer (execution context, result wrapping, the BEGIN and COMMIT it sends around a
    write) costs about as much as the driver itself. Elsewhere (SQLite in make dev) it runs through SQLAlchemy.
    Column values come back as the driver gives them (asyncpg: UUIDs, aware datetimes, JSON decoded by the
    codecs SQLAlchemy installs). Run it on an autocommit connection (``AutocommitEngine``): no BEGIN is sent, a
    write is committed when it returns. Driver errors propagate as the driver raises them;
    ``database_unavailable`` recognizes both kinds."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: tuple[str, tuple[tuple[str, Any], ...]] | None = None

    def _asyncpg_sql(self, dialect: Dialect) -> tuple[str, tuple[tuple[str, Any], ...]]:
        if self._compiled is None:
            statement = self.statement
            if not isinstance(statement, UpdateBase):
                # literal-execute parameters (e.g. aggregate_strings' separator) rendered in place, once; rendering
                # them wants a value for the named parameters too, which stay placeholders ($n) whatever it is
                binds = statement.compile(dialect=dialect).binds.values()
                keys = [bind.key for bind in binds if bind.required]
                statement = statement.params(dict.fromkeys(keys))  # type: ignore[attr-defined]
            compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
            processors = tuple(
                (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                for name in compiled.positiontup or ()
            )
            self._compiled = str(compiled), processors
        return self._compiled

    async def rows(self, connection: AsyncConnection, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        """Every row, each a sequence of the selected (or returned) columns in order; ``params`` by bind
        parameter name."""
        if connection.dialect.driver == "asyncpg":
            sql, binds = self._asyncpg_sql(connection.dialect)
            values = [params[name] if process is None else process(params[name]) for name, process in binds]
            raw = await connection.get_raw_connection()
            return await raw.driver_connection.fetch(sql, *values)  # type: ignore[union-attr]
        return (await connection.execute(self.statement, params)).all()  # type: ignore[arg-type]
