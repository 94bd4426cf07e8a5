"""Both MediaStorage adapters against real storage: the filesystem and an S3 server (moto) on loopback."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from medias_service.adapters.outbound.storage.local import LocalMediaStorage
from medias_service.adapters.outbound.storage.s3 import S3MediaStorage, S3Settings
from medias_service.domain.media import new_storage_key
from tests.medias_service.support import StorageProbe


class Stop(Exception):
    pass


@pytest.fixture
def adapter(storage_backend, tmp_path, request):
    if storage_backend == "local":
        root = tmp_path / "store"
        return LocalMediaStorage(root, block_bytes=64 * 1024), StorageProbe("local", root=root)
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"adapter-{os.urandom(6).hex()}"
    probe = StorageProbe("s3", endpoint=endpoint, bucket=bucket)
    probe._s3().create_bucket(Bucket=bucket)
    settings = S3Settings(
        bucket=bucket,
        endpoint=endpoint,
        access_key_id="test",
        secret_access_key="test",
        allow_http=True,
        part_size_mb=5,
    )
    return S3MediaStorage.from_settings(settings), probe


async def chunks_of(data: bytes, size: int = 100_000, fail_at: int | None = None):
    for index, start in enumerate(range(0, len(data), size)):
        if index == fail_at:
            raise Stop
        yield data[start : start + size]


async def read_all(storage, key: str, start: int = 0, end: int | None = None) -> bytes:
    return b"".join([chunk async for chunk in storage.read(key, start, end)])


async def test_write_read_ranges_delete(adapter):
    storage, probe = adapter
    data = os.urandom(6 * 1024 * 1024 + 123)
    key = new_storage_key()
    await storage.write(key, chunks_of(data))
    assert probe.objects() == [key]
    assert await read_all(storage, key) == data
    assert await read_all(storage, key, 0, 1) == data[:1]
    assert await read_all(storage, key, 65_530, 200_000) == data[65_530:200_000]
    assert await read_all(storage, key, len(data) - 10) == data[-10:]
    assert await read_all(storage, key, 10, 10) == b""
    await storage.delete([key])
    await storage.delete([key])  # deleting twice is fine
    assert probe.objects() == []
    await storage.ping()


async def test_a_failed_write_leaves_nothing(adapter):
    storage, probe = adapter
    data = os.urandom(11 * 1024 * 1024)
    with pytest.raises(Stop):
        await storage.write(new_storage_key(), chunks_of(data, 1024 * 1024, fail_at=8))  # after one S3 part
    assert probe.objects() == []
    assert probe.incomplete_uploads() == []


async def test_local_keys_are_checked_and_stale_temp_files_swept(tmp_path: Path):
    storage = LocalMediaStorage(tmp_path)
    for bad in ("../x", "/etc/passwd", "blobs/../../x", "Blobs/x", "a//b", ""):
        with pytest.raises(ValueError, match="invalid storage key"):
            storage.path(bad)
    stale = tmp_path / "tmp" / "old.part"
    stale.write_bytes(b"x")
    old = time.time() - 2 * 86400
    os.utime(stale, (old, old))
    fresh = tmp_path / "tmp" / "new.part"
    fresh.write_bytes(b"y")
    assert await storage.sweep_incomplete() == 1
    assert not stale.exists() and fresh.exists()


async def test_the_sweep_never_removes_a_temp_file_this_process_is_writing(tmp_path: Path):
    storage = LocalMediaStorage(tmp_path, fsync=False)
    paused, resume = asyncio.Event(), asyncio.Event()

    async def slow_upload():
        yield b"first half "
        paused.set()
        await resume.wait()  # a client that stalls
        yield b"second half"

    writing = asyncio.create_task(storage.write("blobs/slow", slow_upload()))
    await paused.wait()
    [part] = list((tmp_path / "tmp").glob("*.part"))
    old = time.time() - 3600
    os.utime(part, (old, old))
    assert await storage.sweep_incomplete(0) == 0
    resume.set()
    await writing
    assert storage.path("blobs/slow").read_bytes() == b"first half second half"


@pytest.mark.parametrize("fsync", [True, False])
async def test_pour_hands_each_block_to_the_disk_as_it_is_written(tmp_path: Path, monkeypatch, fsync: bool):
    """What a caller's final fdatasync waits for stays small: with fsync on, each block's writeback starts once it
    is written (POSIX_FADV_DONTNEED over exactly that block), and pour itself never waits for the disk."""
    from medias_service.adapters.outbound.storage import local

    storage = LocalMediaStorage(tmp_path, block_bytes=256 * 1024, fsync=fsync)
    advised: list[tuple[int, int, int]] = []
    real = os.posix_fadvise

    def recording(fd: int, offset: int, length: int, advice: int) -> None:
        advised.append((offset, length, advice))
        real(fd, offset, length, advice)

    monkeypatch.setattr(local.os, "posix_fadvise", recording)
    monkeypatch.setattr(local.os, "fdatasync", lambda fd: pytest.fail("pour waited for the disk"))

    async def chunks():
        for _ in range(17):
            yield os.urandom(64 * 1024)

    fd = os.open(tmp_path / "partial", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        assert await storage.pour(fd, chunks(), 4096) == 17 * 64 * 1024
    finally:
        os.close(fd)
    assert (tmp_path / "partial").stat().st_size == 4096 + 17 * 64 * 1024
    if not fsync:
        assert advised == []
        return
    blocks = [(4096 + n * 256 * 1024, 256 * 1024) for n in range(4)] + [(4096 + 1024 * 1024, 64 * 1024)]
    assert sorted(advised) == [(offset, length, os.POSIX_FADV_DONTNEED) for offset, length in blocks]
