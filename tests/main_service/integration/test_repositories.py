"""Repositories on real PostgreSQL: constraint violations become domain errors, queries filter as promised."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from main_service.adapters.outbound.persistence.roles import SqlaRoleRepository
from main_service.adapters.outbound.persistence.users import SqlaUserRepository
from main_service.domain.errors import EmailTaken, RoleNameTaken, UsernameTaken
from main_service.domain.roles import Role
from main_service.domain.users import User, UserFilter, UserStatus
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest


@pytest.fixture
async def sessions(main_db_url):
    engine = create_async_engine(main_db_url)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


def a_user(**fields) -> User:
    suffix = uuid.uuid4().hex[:10]
    return User(
        **{"id": new_id(), "email": f"r{suffix}@example.com", "username": f"r{suffix}", "password_hash": "h"} | fields
    )


async def test_unique_violations_become_domain_errors_even_in_a_race(sessions):
    user = a_user()
    async with sessions() as session:
        await SqlaUserRepository(session).add(user)
        await session.commit()

    async def insert(candidate: User) -> Exception | None:
        async with sessions() as session:
            try:
                await SqlaUserRepository(session).add(candidate)
                await session.commit()
            except (EmailTaken, UsernameTaken) as exc:
                return exc
        return None

    same_email, same_name = a_user(email=user.email), a_user(username=user.username)
    results = await asyncio.gather(insert(same_email), insert(same_name))
    assert [type(r) for r in results] == [EmailTaken, UsernameTaken]

    role_name = f"race{uuid.uuid4().hex[:6]}"

    async def add_role() -> Exception | None:
        async with sessions() as session:
            try:
                await SqlaRoleRepository(session).add(Role(id=new_id(), name=role_name))
                await session.commit()
            except RoleNameTaken as exc:
                return exc
        return None

    outcomes = await asyncio.gather(add_role(), add_role())
    assert sorted(type(o).__name__ for o in outcomes) == ["NoneType", "RoleNameTaken"]


async def test_list_filters_escape_like_wildcards(sessions):
    marker = uuid.uuid4().hex[:6]
    async with sessions() as session:
        repo = SqlaUserRepository(session)
        plain = await repo.add(a_user(username=f"pct{marker}x"))
        await repo.add(a_user(username=f"pct{marker}_y"))
        suspended = await repo.add(a_user(username=f"sus{marker}", status=UserStatus.SUSPENDED))
        await session.commit()
        found, total = await repo.list(UserFilter(q=f"pct{marker}_"), PageRequest(per_page=100))
        assert total == 1 and found[0].username == f"pct{marker}_y"
        wildcard, _ = await repo.list(UserFilter(q="%"), PageRequest(per_page=100))
        assert plain.id not in {u.id for u in wildcard}
        by_status, _ = await repo.list(UserFilter(q=marker, status=UserStatus.SUSPENDED), PageRequest(per_page=100))
        assert [u.id for u in by_status] == [suspended.id]


async def test_signups_per_day_groups_by_utc_day(sessions):
    async with sessions() as session:
        repo = SqlaUserRepository(session)
        await repo.add(a_user())
        await session.commit()
        days = await repo.signups_per_day(datetime.now(UTC) - timedelta(days=1))
        assert days.get(datetime.now(UTC).date(), 0) >= 1
