"""Against PostgreSQL: deduplication and quota stay right under concurrency; the migration goes up and down."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from medias_service.adapters.outbound.persistence.blobs import SqlaBlobRepository
from medias_service.domain.errors import QuotaExceeded
from tests.support import databases


async def blocked_on_a_lock(sessions, timeout: float = 10) -> None:
    """Until another connection of this database waits on a row lock (PostgreSQL says so in pg_stat_activity)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    async with asyncio.timeout(timeout):
        while True:
            async with sessions() as session:
                if (await session.execute(query)).scalar_one():
                    return
            await asyncio.sleep(0.02)


@pytest.fixture
async def sessions(medias_db_url):
    engine = create_async_engine(medias_db_url)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


async def claim(
    sessions, owner, sha, size, key, quota, pause: asyncio.Event | None = None, claimed: asyncio.Event | None = None
):
    async with sessions() as session:
        blob, created = await SqlaBlobRepository(session).claim(owner, sha, size, key, quota)
        if claimed is not None:
            claimed.set()
        if pause is not None:
            await pause.wait()  # hold the transaction open while the other one runs
        await session.commit()
        return blob, created


async def test_concurrent_uploads_of_the_same_bytes_make_one_blob(sessions):
    owner, sha = uuid.uuid4(), "a" * 64
    release, claimed = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(claim(sessions, owner, sha, 100, f"k/{uuid.uuid4().hex}", 1000, release, claimed))
    await claimed.wait()
    second = asyncio.create_task(claim(sessions, owner, sha, 100, f"k/{uuid.uuid4().hex}", 1000))
    await blocked_on_a_lock(sessions)  # the second waits on the first transaction's row
    assert not second.done()
    release.set()
    (blob_one, created_one), (blob_two, created_two) = await asyncio.gather(first, second)
    assert (created_one, created_two) == (True, False)
    assert blob_one.id == blob_two.id
    assert blob_two.refcount == 2
    async with sessions() as session:
        assert (await SqlaBlobRepository(session).usage(owner)).used_bytes == 100


async def test_concurrent_uploads_cannot_overrun_the_quota_together(sessions):
    owner = uuid.uuid4()
    release, claimed = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(claim(sessions, owner, "b" * 64, 600, f"k/{uuid.uuid4().hex}", 1000, release, claimed))
    await claimed.wait()
    second = asyncio.create_task(claim(sessions, owner, "c" * 64, 600, f"k/{uuid.uuid4().hex}", 1000))
    await blocked_on_a_lock(sessions)
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


async def test_two_jobs_storing_the_same_size_take_turns(sessions):
    """A reprocess racing a running job: the second put_size waits for the first's row lock, then replaces (and
    releases) the first's blob instead of silently overwriting it and leaking one."""
    from medias_service.adapters.outbound.persistence.media import SqlaMediaRepository
    from medias_service.adapters.outbound.persistence.models import (
        MediaModel,
        MediaSizeModel,
        MediaVersionModel,
    )
    from medias_service.domain.media import MediaSize, ProcessingStatus

    owner = uuid.uuid4()
    original, _ = await claim(sessions, owner, "e" * 64, 10, f"k/{uuid.uuid4().hex}", None)
    first_blob, _ = await claim(sessions, owner, "f" * 64, 5, f"k/{uuid.uuid4().hex}", None)
    second_blob, _ = await claim(sessions, owner, "0" * 64, 6, f"k/{uuid.uuid4().hex}", None)
    media_id, version_id = uuid.uuid4(), uuid.uuid4()
    async with sessions() as session:
        common = {"size": 10, "content_type": "image/png", "kind": "image", "status": "processing"}
        session.add(MediaModel(id=media_id, owner_id=owner, title="t", current_version=1, version_count=1, **common))
        await session.flush()
        session.add(
            MediaVersionModel(
                id=version_id, media_id=media_id, number=1, blob_id=original.id, sha256="e" * 64, **common
            )
        )
        await session.flush()
        session.add(MediaSizeModel(version_id=version_id, name="thumb", status="pending"))
        await session.commit()

    def size_for(blob) -> MediaSize:
        return MediaSize(
            id=uuid.uuid4(), version_id=version_id, name="thumb", status=ProcessingStatus.READY,
            content_type="image/webp", width=1, height=1, size=blob.size, sha256=blob.sha256, blob_id=blob.id,
            storage_key=blob.storage_key,
        )  # fmt: skip

    release = asyncio.Event()

    async def put(blob, pause: asyncio.Event | None = None):
        async with sessions() as session:
            replaced = await SqlaMediaRepository(session).put_size(size_for(blob))
            if pause is not None:
                await pause.wait()
            await session.commit()
            return replaced

    first = asyncio.create_task(put(first_blob, release))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(put(second_blob))
    await asyncio.sleep(0.2)
    assert not second.done()  # waits on the first job's lock on the size row
    release.set()
    assert await asyncio.gather(first, second) == [None, first_blob.id]  # the second releases the first's blob
