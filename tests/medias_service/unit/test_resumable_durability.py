"""A PATCH's new offset is recorded only once its bytes are durable: the local partial storage returns from
``append`` after the fdatasync (pour only starts the writeback), and a request whose bytes did not reach the disk
records nothing and lets its lease go."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from medias_service.adapters.outbound.storage import local_partial
from medias_service.adapters.outbound.storage.local import LocalMediaStorage
from medias_service.adapters.outbound.storage.local_partial import LocalPartialStorage
from medias_service.domain.content import ContentPolicy
from medias_service.domain.library import UploadMetadata
from medias_service.domain.resumable import PartialData, ResumableUpload, UploadIntent
from medias_service.services.resumable import ResumableRules
from medias_service.services.resumable_append import PatchBody, ResumableAppend
from medias_service.services.resumable_meter import UploadHashes
from qhitz_shared.principal import Principal


def an_upload(length: int = 100) -> ResumableUpload:
    return ResumableUpload(
        id=uuid.uuid4(),
        owner_id=uuid.uuid4(),
        length=length,
        intent=UploadIntent(UploadMetadata()),
        storage_key="blobs/x",
        expires_at=datetime.now(UTC) + timedelta(hours=24),
        content_type="video/mp4",  # decided by an earlier request: nothing to sniff here
    )


async def body(*pieces: bytes):
    for piece in pieces:
        yield piece


@pytest.fixture
async def begun(tmp_path: Path) -> tuple[LocalPartialStorage, ResumableUpload]:
    """An upload begun on the local disk, fsync on."""
    partial = LocalPartialStorage(LocalMediaStorage(tmp_path, fsync=True))
    upload = an_upload()
    await partial.begin(upload)
    return partial, upload


async def test_append_returns_once_the_bytes_are_durable(begun, monkeypatch):
    partial, upload = begun
    synced: list[int] = []
    real = local_partial.os.fdatasync

    def syncing(fd: int) -> None:
        synced.append(local_partial.os.fstat(fd).st_size)  # what the file holds when it is made durable
        real(fd)

    monkeypatch.setattr(local_partial.os, "fdatasync", syncing)
    assert await partial.append(upload, body(b"a" * 30, b"b" * 20)) == (50, upload.data)
    assert synced == [50]


async def test_append_fails_when_the_bytes_do_not_reach_the_disk(begun, monkeypatch):
    partial, upload = begun
    closed: list[int] = []
    real_close = local_partial.os.close

    def failing(fd: int) -> None:
        raise OSError(5, "disk gone")

    def closing(fd: int) -> None:
        closed.append(fd)
        real_close(fd)

    monkeypatch.setattr(local_partial.os, "fdatasync", failing)
    monkeypatch.setattr(local_partial.os, "close", closing)
    with pytest.raises(OSError, match="disk gone"):
        await partial.append(upload, body(b"a" * 30))
    assert len(closed) == 1  # the descriptor is closed all the same


class Recorder:
    """The lifecycle, the upload records, the partial storage and the unit of work, as one journal."""

    def __init__(self, upload: ResumableUpload, *, disk_fails: bool) -> None:
        self.upload = upload
        self.disk_fails = disk_fails
        self.events: list[str] = []

    async def take(self, actor: Any, upload_id: uuid.UUID, holder: uuid.UUID) -> ResumableUpload:
        self.events.append("leased")
        return self.upload

    async def extend(self, upload: ResumableUpload) -> bool:
        return False

    async def append(self, upload: ResumableUpload, chunks: Any) -> tuple[int, PartialData]:
        stored = sum([len(chunk) async for chunk in chunks])
        if self.disk_fails:
            raise OSError(5, "disk gone")
        self.events.append("durable")
        return stored, upload.data

    async def recorded(self, upload: ResumableUpload, previous_offset: int) -> None:
        return None

    async def record(self, upload: ResumableUpload, holder: uuid.UUID, *, release: bool) -> bool:
        self.events.append(f"recorded {upload.offset}")
        return True

    async def release(self, upload_id: uuid.UUID, holder: uuid.UUID) -> None:
        self.events.append("released")

    async def rollback(self) -> None:
        return None


def appending(journal: Recorder) -> ResumableAppend:
    return ResumableAppend(
        lifecycle=journal,  # type: ignore[arg-type]
        uploads=journal,  # type: ignore[arg-type]
        partial=journal,  # type: ignore[arg-type]
        storage=None,  # type: ignore[arg-type]
        recording=None,  # type: ignore[arg-type]
        limits=None,  # type: ignore[arg-type]
        hashes=UploadHashes(),
        uow=journal,  # type: ignore[arg-type]
        rules=ResumableRules(),
        policy=ContentPolicy(allowed=["video/*"]),
    )


USER = Principal(subject=str(uuid.uuid4()))


async def test_the_new_offset_is_recorded_after_the_bytes_are_durable():
    journal = Recorder(an_upload(), disk_fails=False)
    appended = await appending(journal).append(USER, journal.upload.id, 0, PatchBody(body(b"x" * 40), 40))
    assert appended.upload.offset == 40
    assert journal.events == ["leased", "durable", "recorded 40"]


async def test_bytes_that_did_not_reach_the_disk_are_not_recorded():
    journal = Recorder(an_upload(), disk_fails=True)
    with pytest.raises(OSError, match="disk gone"):
        await appending(journal).append(USER, journal.upload.id, 0, PatchBody(body(b"x" * 40), 40))
    assert journal.events == ["leased", "released"]
