"""Sessions on real PostgreSQL: the compare-and-set lets exactly one of two concurrent refreshes advance."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from main_service.adapters.outbound.persistence.sessions import SqlaSessionRepository
from main_service.adapters.outbound.persistence.users import SqlaUserRepository
from main_service.domain.sessions import AccountInactive, RefreshTokenReused, SessionRevoked
from main_service.domain.users import User
from main_service.services.sessions import SessionService
from qhitz_shared.db import SqlaUnitOfWork
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest

TTL = 3600


class RacingSessions(SqlaSessionRepository):
    """The real repository, made to wait at the compare-and-set until both callers have read the row."""

    def __init__(self, session: AsyncSession, barrier: asyncio.Barrier) -> None:
        super().__init__(session)
        self._barrier = barrier

    async def advance_generation(self, *args, **kwargs):
        await self._barrier.wait()
        return await super().advance_generation(*args, **kwargs)


@pytest.fixture
async def sessionmaker(main_db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_async_engine(main_db_url)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


ServiceFactory = Callable[..., "asynccontextmanager[SessionService]"]


@pytest.fixture
def service(sessionmaker: async_sessionmaker[AsyncSession]):
    @asynccontextmanager
    async def make(barrier: asyncio.Barrier | None = None) -> AsyncIterator[SessionService]:
        async with sessionmaker() as db:
            repo = RacingSessions(db, barrier) if barrier else SqlaSessionRepository(db)
            yield SessionService(repo, SqlaUserRepository(db), SqlaUnitOfWork(db))

    return make


@pytest.fixture
async def user(sessionmaker: async_sessionmaker[AsyncSession]) -> User:
    async with sessionmaker() as db:
        suffix = uuid.uuid4().hex[:10]
        created = await SqlaUserRepository(db).add(
            User(id=new_id(), email=f"s{suffix}@example.com", username=f"s{suffix}", password_hash="x")
        )
        await db.commit()
        return created


async def rotate_concurrently(service, session, grace: int) -> list[object]:
    barrier = asyncio.Barrier(2)

    async def one():
        async with service(barrier) as sessions:
            return await sessions.rotate(
                session.id,
                family_id=session.family_id,
                generation=0,
                token_version=0,
                ttl_seconds=TTL,
                grace_seconds=grace,
            )

    return await asyncio.gather(one(), one(), return_exceptions=True)


async def test_start_records_the_login_and_lists_the_session(service, user) -> None:
    async with service() as sessions:
        started = await sessions.start(user.id, user_agent="ua/1", ip_address="203.0.113.9", ttl_seconds=TTL)
        assert started.generation == 0
        assert started.user_agent == "ua/1"
        assert (await sessions._users.get(user.id)).last_login_at is not None
        items, total = await sessions.list_for_user(user.id, PageRequest())
        assert total == 1
        assert [s.id for s in items] == [started.id]


async def test_concurrent_refreshes_outside_grace_one_wins_and_the_family_is_revoked(service, user) -> None:
    async with service() as sessions:
        started = await sessions.start(user.id, user_agent=None, ip_address=None, ttl_seconds=TTL)

    results = await rotate_concurrently(service, started, grace=0)

    winners = [r for r in results if isinstance(r, tuple)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1, results
    assert winners[0][0].generation == 1
    assert len(losers) == 1
    assert isinstance(losers[0], RefreshTokenReused)
    async with service() as sessions:
        after = await sessions.get(started.id)
    assert after.generation == 1  # never advanced twice
    assert after.revoked_reason == "reuse_detected"


async def test_concurrent_refreshes_inside_grace_both_get_the_winners_generation(service, user) -> None:
    async with service() as sessions:
        started = await sessions.start(user.id, user_agent=None, ip_address=None, ttl_seconds=TTL)

    results = await rotate_concurrently(service, started, grace=10)

    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(r[0].generation for r in results) == [1, 1]
    async with service() as sessions:
        after = await sessions.get(started.id)
    assert after.generation == 1
    assert after.revoked_at is None


async def test_replaying_an_old_generation_revokes_the_family(service, user) -> None:
    async with service() as sessions:
        started = await sessions.start(user.id, user_agent=None, ip_address=None, ttl_seconds=TTL)
        kwargs = {"family_id": started.family_id, "token_version": 0, "ttl_seconds": TTL, "grace_seconds": 0}
        first, _ = await sessions.rotate(started.id, generation=0, **kwargs)
        second, _ = await sessions.rotate(started.id, generation=1, **kwargs)
        assert (first.generation, second.generation) == (1, 2)
        with pytest.raises(RefreshTokenReused):
            await sessions.rotate(started.id, generation=0, **kwargs)
        with pytest.raises(SessionRevoked):  # even the current token is dead now
            await sessions.rotate(started.id, generation=2, **kwargs)


async def test_rotation_fails_when_token_version_changed(service, user) -> None:
    async with service() as sessions:
        started = await sessions.start(user.id, user_agent=None, ip_address=None, ttl_seconds=TTL)
        with pytest.raises(AccountInactive):
            await sessions.rotate(
                started.id, family_id=started.family_id, generation=0, token_version=1, ttl_seconds=TTL, grace_seconds=0
            )
        assert (await sessions.get(started.id)).revoked_reason == "account_changed"


async def test_revoke_all_but_one(service, user) -> None:
    async with service() as sessions:
        keep = await sessions.start(user.id, user_agent="a", ip_address=None, ttl_seconds=TTL)
        await sessions.start(user.id, user_agent="b", ip_address=None, ttl_seconds=TTL)
        await sessions.start(user.id, user_agent="c", ip_address=None, ttl_seconds=TTL)
        assert await sessions.revoke_all(user.id, keep=keep.id) == 2
        active, total = await sessions.list_for_user(user.id, PageRequest())
        assert (total, [s.id for s in active]) == (1, [keep.id])
        _, everything = await sessions.list_for_user(user.id, PageRequest(), active_only=False)
        assert everything == 3


async def test_a_revoked_sessions_previous_token_gets_nothing_within_the_grace_interval(service, user) -> None:
    """The grace interval forgives a lost race between two refreshes, never a logout."""
    async with service() as sessions:
        started = await sessions.start(user.id, user_agent=None, ip_address=None, ttl_seconds=TTL)
        kwargs = {"family_id": started.family_id, "token_version": 0, "ttl_seconds": TTL, "grace_seconds": 10}
        rotated, _ = await sessions.rotate(started.id, generation=0, **kwargs)
        assert rotated.generation == 1
        await sessions.revoke(started.id)
        for generation in (0, 1):  # the token just replaced (grace) and the current one
            with pytest.raises(SessionRevoked):
                await sessions.rotate(started.id, generation=generation, **kwargs)
        after = await sessions.get(started.id)
    assert (after.generation, after.revoked_reason) == (1, "revoked")


class LogoutDuringRefresh(SqlaSessionRepository):
    """Between this refresh's read and its compare-and-set, another refresh of the same token wins and the user
    then logs out (both on another connection, committed)."""

    def __init__(self, session: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(session)
        self._sessionmaker = sessionmaker

    async def advance_generation(self, session_id, presented, now, expires_at):
        async with self._sessionmaker() as other:
            sessions = SessionService(SqlaSessionRepository(other), SqlaUserRepository(other), SqlaUnitOfWork(other))
            current = await sessions.get(session_id)
            await sessions.rotate(
                session_id,
                family_id=current.family_id,
                generation=presented,
                token_version=0,
                ttl_seconds=TTL,
                grace_seconds=0,
            )
            await sessions.revoke(session_id)
        return await super().advance_generation(session_id, presented, now, expires_at)


async def test_a_refresh_that_loses_the_race_to_a_logout_gets_nothing(sessionmaker, service, user) -> None:
    async with service() as sessions:
        started = await sessions.start(user.id, user_agent=None, ip_address=None, ttl_seconds=TTL)
    async with sessionmaker() as db:
        racing = SessionService(LogoutDuringRefresh(db, sessionmaker), SqlaUserRepository(db), SqlaUnitOfWork(db))
        with pytest.raises(SessionRevoked):
            await racing.rotate(
                started.id,
                family_id=started.family_id,
                generation=0,
                token_version=0,
                ttl_seconds=TTL,
                grace_seconds=10,
            )
    async with service() as sessions:
        after = await sessions.get(started.id)
    assert (after.generation, after.revoked_reason) == (1, "revoked")
