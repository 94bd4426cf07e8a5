"""The revocation log (trigger-written ``revocations``), its NOTIFY stream, and the one-statement token lookup."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import msgspec
import structlog
from sqlalchemy import delete, exists, func, null, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from main_service.adapters.outbound.persistence.models import SessionModel, UserModel, api_keys, revocations
from main_service.domain.users import UserStatus
from main_service.ports.revocations import TokenState
from qhitz_shared.db import AutocommitEngine
from qhitz_shared.revocation.events import RevocationEvent, RevocationPage, decode
from qhitz_shared.revocation.state import DenyState

log = structlog.get_logger(__name__)
NOTIFY_CHANNEL = "qhitz_revocations"

MAX_PAGE = 1000
PRUNE_EVERY_SECONDS = 60.0


class SqlaRevocationLog:
    """APP-scoped (opens a session per read, never joins a request's transaction). Rows older than the retention
    window are deleted now and then: a token they would refuse has expired."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], retention_seconds: float, stream: str = "poll"
    ) -> None:
        self._sessionmaker = sessionmaker
        self._stream = stream
        self._retention = timedelta(seconds=retention_seconds)
        self._pruned_at = 0.0

    async def since(self, cursor: int, limit: int) -> RevocationPage:
        limit = max(1, min(limit, MAX_PAGE))
        horizon = datetime.now(UTC) - self._retention
        table = revocations.c
        async with self._sessionmaker() as session:
            rows = (
                await session.execute(
                    select(
                        table.id, table.user_id, table.session_id, table.token_version, table.active, table.occurred_at
                    )
                    .where(table.id > cursor, table.occurred_at > horizon)
                    .order_by(table.id)
                    .limit(limit + 1)
                )
            ).all()
            head = await session.scalar(select(func.coalesce(func.max(table.id), 0))) or 0
            if time.monotonic() - self._pruned_at > PRUNE_EVERY_SECONDS:
                self._pruned_at = time.monotonic()
                await session.execute(delete(revocations).where(table.occurred_at <= horizon))
                await session.commit()
        events = [
            RevocationEvent(
                seq=row.id,
                user_id=str(row.user_id),
                at=row.occurred_at.timestamp(),
                token_version=row.token_version,
                active=row.active,
                session_id=None if row.session_id is None else str(row.session_id),
            )
            for row in rows[:limit]
        ]
        return RevocationPage(
            events=events,
            cursor=events[-1].seq if events else cursor,
            more=len(rows) > limit,
            head=int(head),
            stream=self._stream,
        )


class PgNotifyStream:
    """A RevocationStream for main_service's replicas on PostgreSQL: migration 0003's triggers NOTIFY each event,
    delivered at commit to every listening connection, and applied to the deny state as it arrives (before the
    replica that made the change has even answered), so another replica refuses the token on the next request."""

    def __init__(self, database_url: str, state: DenyState, *, connect_timeout: float = 10.0) -> None:
        url = make_url(database_url)
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._state = state
        self._timeout = connect_timeout

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[AsyncIterator[RevocationEvent]]:
        lost: asyncio.Event = asyncio.Event()
        connection = await asyncpg.connect(self._dsn, timeout=self._timeout)
        connection.add_termination_listener(lambda _connection: lost.set())

        def arrived(_connection: object, _pid: int, _channel: str, payload: str) -> None:
            try:
                self._state.apply([decode(payload.encode())], from_log=False)
            except msgspec.MsgspecError as exc:
                log.warning("revocation_notification_unreadable", error=repr(exc))

        try:
            await connection.add_listener(NOTIFY_CHANNEL, arrived)
            yield _until(lost)
        finally:
            with contextlib.suppress(Exception):
                await connection.close(timeout=2)


async def _until(lost: asyncio.Event) -> AsyncIterator[RevocationEvent]:
    await lost.wait()  # events are applied as they arrive; this only tells the feed when the connection is gone
    return
    yield  # an async generator that yields nothing


class SqlaTokenStates:
    """TokenStates in one SELECT: the user's version and status, with the session's state as a subquery.

    On its own autocommit connection, returned at once: no BEGIN/ROLLBACK around the read, and the request holds no
    pooled connection afterwards while it reads or writes through another (which could deadlock a busy pool)."""

    def __init__(self, autocommit: AutocommitEngine) -> None:
        self._engine = autocommit.engine

    async def of(self, user_id: uuid.UUID, session_id: uuid.UUID | None) -> TokenState | None:
        live = (
            or_(  # sid names a login session, or the API key an exchanged token came from
                exists().where(
                    SessionModel.id == session_id,
                    SessionModel.user_id == UserModel.id,
                    SessionModel.revoked_at.is_(None),
                ),
                exists().where(
                    api_keys.c.id == session_id, api_keys.c.user_id == UserModel.id, api_keys.c.revoked_at.is_(None)
                ),
            ).label("live")
            if session_id is not None
            else null().label("live")
        )
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(
                    select(UserModel.token_version, UserModel.status, live).where(UserModel.id == user_id)
                )
            ).first()
        if row is None:
            return None
        return TokenState(row.token_version, UserStatus(row.status), None if row.live is None else bool(row.live))
