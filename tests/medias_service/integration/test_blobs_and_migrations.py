"""Against PostgreSQL: deduplication and quota stay right under concurrency; the migration goes up and down."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from medias_service.adapters.outbound.persistence.blobs import SqlaBlobRepository
from medias_service.domain.errors import QuotaExceeded
from tests.support import databases


@pytest.fixture
async def sessions(medias_db_url):
    engine = create_async_engine(medias_db_url)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


async def claim(sessions, owner, sha, size, key, quota, pause: asyncio.Event | None = None):
    async with sessions() as session:
        blob, created = await SqlaBlobRepository(session).claim(owner, sha, size, key, quota)
        if pause is not None:
            await pause.wait()  # hold the transaction open while the other one runs
        await session.commit()
        return blob, created


async def test_concurrent_uploads_of_the_same_bytes_make_one_blob(sessions):
    owner, sha = uuid.uuid4(), "a" * 64
    release = asyncio.Event()
    first = asyncio.create_task(claim(sessions, owner, sha, 100, f"k/{uuid.uuid4().hex}", 1000, release))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(claim(sessions, owner, sha, 100, f"k/{uuid.uuid4().hex}", 1000))
    await asyncio.sleep(0.2)
    assert not second.done()  # waits on the first transaction's row
    release.set()
    (blob_one, created_one), (blob_two, created_two) = await asyncio.gather(first, second)
    assert (created_one, created_two) == (True, False)
    assert blob_one.id == blob_two.id
    assert blob_two.refcount == 2
    async with sessions() as session:
        assert (await SqlaBlobRepository(session).usage(owner)).used_bytes == 100


async def test_concurrent_uploads_cannot_overrun_the_quota_together(sessions):
    owner = uuid.uuid4()
    release = asyncio.Event()
    first = asyncio.create_task(claim(sessions, owner, "b" * 64, 600, f"k/{uuid.uuid4().hex}", 1000, release))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(claim(sessions, owner, "c" * 64, 600, f"k/{uuid.uuid4().hex}", 1000))
    await asyncio.sleep(0.2)
    release.set()
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(results[1], QuotaExceeded)
    async with sessions() as session:
        assert (await SqlaBlobRepository(session).usage(owner)).used_bytes == 600


async def test_released_blobs_leave_usage_and_are_queued_for_deletion(sessions):
    owner = uuid.uuid4()
    key = f"k/{uuid.uuid4().hex}"
    blob, _ = await claim(sessions, owner, "d" * 64, 300, key, None)
    async with sessions() as session:
        repo = SqlaBlobRepository(session)
        await repo.acquire({blob.id: 1})
        assert await repo.release({blob.id: 1}) == []  # still referenced once
        assert await repo.release({blob.id: 1}) == [key]
        await session.commit()
        assert (await repo.usage(owner)).used_bytes == 0
        assert key in await repo.garbage(10_000)
        await repo.forget_garbage([key])
        await session.commit()
        assert key not in await repo.garbage(10_000)


def test_migration_stairway():
    name = databases.create_database("medias_stairway")
    try:
        url = databases.async_url(name)
        databases.migrate("medias", url)
        databases.downgrade("medias", url, "base")
        databases.migrate("medias", url)
    finally:
        databases.drop_database(name)
