"""Use cases with fakes: what is committed, stored and cleaned up, whatever goes wrong."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from medias_service.domain.content import ContentPolicy
from medias_service.domain.errors import (
    FileTooLarge,
    InvalidMediaData,
    MediaNotFound,
    QuotaExceeded,
    UnsupportedMediaType,
    UploadIncomplete,
)
from medias_service.domain.library import UploadMetadata
from medias_service.domain.media import ProcessingStatus
from medias_service.services.downloads import DownloadService
from medias_service.services.processing import ProcessingService
from medias_service.services.quota import UploadQuota
from medias_service.services.trash import TrashService
from medias_service.services.uploads import UploadService
from medias_service.services.versions import VersionService
from qhitz_shared.errors import PermissionDeniedError
from qhitz_shared.principal import Principal
from tests.medias_service.support import MODERATOR_PERMISSIONS, USER_PERMISSIONS, pdf_bytes, png_bytes
from tests.medias_service.unit.fakes import (
    FakeBlobRepository,
    FakeDatabase,
    FakeFolders,
    FakeLimits,
    FakeMediaRepository,
    FakeProcessing,
    FakeQuotaReservations,
    FakeSource,
    FakeStorage,
    FakeUnitOfWork,
)

OWNER = uuid.uuid4()


def actor(user: uuid.UUID = OWNER, permissions: list[str] = USER_PERMISSIONS) -> Principal:
    return Principal(subject=str(user), permissions=frozenset(permissions))


class World:
    def __init__(self, limits: FakeLimits | None = None) -> None:
        self.db = FakeDatabase()
        self.storage = FakeStorage()
        self.media = FakeMediaRepository(self.db)
        self.blobs = FakeBlobRepository(self.db)
        self.uow = FakeUnitOfWork(self.db)
        self.processing = FakeProcessing(self.db)
        self.folders = FakeFolders()
        self.uploads = UploadService(
            self.media,
            self.blobs,
            self.storage,
            limits or FakeLimits(),
            self.processing,
            self.uow,
            ContentPolicy(["image/*", "application/pdf"]),
            UploadQuota(FakeQuotaReservations(self.db), self.uow, timedelta(hours=1)),
            self.folders,
        )
        self.trash = TrashService(self.media, self.blobs, self.storage, self.uow, self.folders)
        self.versions = VersionService(self.media, self.blobs, self.processing, self.uow)
        self.downloads = DownloadService(self.media, self.storage, self.uow)
        self.processor = ProcessingService(self.media, self.blobs, self.storage, self.uow)

    @property
    def committed(self):
        return self.db.committed

    def assert_empty(self) -> None:
        assert self.storage.objects == {}
        assert not self.committed.media and not self.committed.versions and not self.committed.blobs


def chunks(data: bytes, size: int = 1000) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


async def test_upload_records_media_version_and_blob():
    world = World()
    data = png_bytes(extra=5000)
    media = await world.uploads.upload_media(
        actor(), FakeSource(chunks(data), filename="../x.png", metadata=UploadMetadata(tags=["A", "a", "b"]))
    )
    assert media.current_version is not None
    assert media.current_version.sha256 == hashlib.sha256(data).hexdigest()
    assert media.current_version.content_type == "image/png"
    assert media.current_version.original_filename == "x.png"
    assert media.tags == ["a", "b"]
    assert media.title == "x.png"
    [key] = world.storage.objects
    assert world.storage.objects[key] == data
    assert world.committed.usage[OWNER] == len(data)
    # processing is told before the commit, inside the same unit of work
    assert world.processing.requests == [(media.id, 1, 0)]
    assert world.db.commits == 1


@pytest.mark.parametrize(
    ("source", "error"),
    [
        (FakeSource(chunks(pdf_bytes(extra=5000)), fail_after=(3, UploadIncomplete("cut"))), UploadIncomplete),
        (FakeSource(chunks(pdf_bytes()), finish_error=InvalidMediaData("bad field")), InvalidMediaData),
        (FakeSource(chunks(pdf_bytes()), metadata=UploadMetadata(title="x" * 300)), InvalidMediaData),
        (FakeSource(chunks(b"<html><script></script></html>")), UnsupportedMediaType),
        (FakeSource(chunks(pdf_bytes(extra=20_000))), FileTooLarge),
    ],
)
async def test_a_failed_upload_leaves_nothing(source, error):
    world = World(FakeLimits(max_upload_bytes=15_000))
    with pytest.raises(error):
        await world.uploads.upload_media(actor(), source)
    world.assert_empty()
    assert world.processing.requests == []


async def test_quota_is_checked_exactly_at_the_end_and_duplicates_are_free():
    world = World(FakeLimits(quota_bytes=25_000))
    first = pdf_bytes(extra=10_000)
    await world.uploads.upload_media(actor(), FakeSource(chunks(first)))
    await world.uploads.upload_media(actor(), FakeSource(chunks(pdf_bytes(extra=10_000))))
    objects = dict(world.storage.objects)
    with pytest.raises(QuotaExceeded):  # same size as stored blobs: could have been a duplicate until the end
        await world.uploads.upload_media(actor(), FakeSource(chunks(pdf_bytes(extra=10_000))))
    assert world.storage.objects == objects
    again = await world.uploads.upload_media(actor(), FakeSource(chunks(first)))
    assert world.storage.objects == objects  # the new copy was dropped
    assert len(world.committed.media) == 3
    assert len(world.committed.blobs) == 2
    [blob] = [b for b in world.committed.blobs.values() if b.sha256 == again.current_version.sha256]
    assert blob.refcount == 2


async def test_uploading_needs_media_write():
    world = World()
    with pytest.raises(PermissionDeniedError):
        await world.uploads.upload_media(actor(permissions=["media:read"]), FakeSource(chunks(pdf_bytes())))
    world.assert_empty()


async def test_restoring_a_ready_version_keeps_its_sizes():
    world = World()
    media = await world.uploads.upload_media(actor(), FakeSource(chunks(png_bytes(extra=100))))
    version_one = media.current_version
    await world.processor.add_size(version_one.id, "thumb", _stream(b"thumb-bytes"), content_type="image/webp")
    await world.processor.set_status(version_one.id, ProcessingStatus.READY)
    await world.uploads.upload_version(actor(), media.id, FakeSource(chunks(pdf_bytes(extra=100))))
    restored = await world.versions.restore(actor(), media.id, 1)
    current = restored.current_version
    assert (current.number, current.restored_from, current.status) == (3, 1, ProcessingStatus.READY)
    assert [size.name for size in current.sizes] == ["thumb"]
    refcounts = sorted(blob.refcount for blob in world.committed.blobs.values())
    assert refcounts == [1, 2, 2]  # the pdf; the png (v1, v3); the thumb (v1, v3)
    assert [number for _, number, _ in world.processing.requests] == [1, 2]  # ready: not processed again


async def test_restoring_a_pending_version_asks_for_processing():
    world = World()
    media = await world.uploads.upload_media(actor(), FakeSource(chunks(png_bytes())))
    await world.uploads.upload_version(actor(), media.id, FakeSource(chunks(pdf_bytes())))
    restored = await world.versions.restore(actor(), media.id, 1)
    assert restored.current_version.status is ProcessingStatus.PENDING
    assert [number for _, number, _ in world.processing.requests] == [1, 2, 3]


async def test_purge_deletes_objects_and_retries_after_a_storage_failure():
    world = World()
    media = await world.uploads.upload_media(actor(), FakeSource(chunks(png_bytes(extra=100))))
    world.storage.fail_deletes = True
    await world.trash.purge(actor(), media.id)
    assert not world.committed.media and not world.committed.blobs
    [key] = world.committed.garbage  # the object survived the failure: still queued
    assert key in world.storage.objects
    world.storage.fail_deletes = False
    assert await world.trash.collect_garbage() == 1
    assert world.storage.objects == {}
    assert world.committed.garbage == []


async def test_purge_expired_respects_the_retention():
    world = World()
    old = await world.uploads.upload_media(actor(), FakeSource(chunks(png_bytes(extra=1))))
    new = await world.uploads.upload_media(actor(), FakeSource(chunks(png_bytes(extra=2))))
    await world.trash.trash(actor(), old.id)
    world.db.state.media[old.id].deleted_at = datetime.now(UTC) - timedelta(days=31)
    await world.uow.commit()
    await world.trash.trash(actor(), new.id)
    assert await world.trash.purge_expired() == 1
    assert set(world.committed.media) == {new.id}
    with pytest.raises(MediaNotFound):
        await world.trash.restore(actor(), old.id)
    assert (await world.trash.restore(actor(), new.id)).deleted_at is None


async def test_others_cannot_touch_private_media_but_moderators_can():
    world = World()
    media = await world.uploads.upload_media(actor(), FakeSource(chunks(png_bytes())))
    stranger = actor(uuid.uuid4())
    with pytest.raises(MediaNotFound):
        await world.trash.trash(stranger, media.id)
    with pytest.raises(MediaNotFound):
        await world.downloads.content(stranger, media.id)
    moderator = actor(uuid.uuid4(), MODERATOR_PERMISSIONS)
    assert (await world.trash.trash(moderator, media.id)).in_trash


async def test_downloads_end_the_read_transaction_before_streaming():
    world = World()
    data = png_bytes(extra=50)
    media = await world.uploads.upload_media(actor(), FakeSource(chunks(data)))
    rollbacks = world.db.rollbacks
    content = await world.downloads.content(actor(), media.id)
    assert world.db.rollbacks == rollbacks + 1
    assert b"".join([chunk async for chunk in world.downloads.stream(content, 1, 5)]) == data[1:5]
    with pytest.raises(MediaNotFound):
        await world.downloads.content(None, media.id)
    assert world.db.rollbacks == rollbacks + 2


async def test_replacing_a_size_releases_the_old_blob():
    world = World()
    media = await world.uploads.upload_media(actor(), FakeSource(chunks(png_bytes())))
    version_id = media.current_version.id
    await world.processor.add_size(version_id, "thumb", _stream(b"one"), content_type="image/webp")
    await world.processor.add_size(version_id, "thumb", _stream(b"two"), content_type="image/webp")
    stored = list(world.storage.objects.values())
    assert b"two" in stored and b"one" not in stored
    assert len(stored) == 2  # the original and the new thumb
    failed = await world.processor.set_status(version_id, ProcessingStatus.FAILED, "decoder crashed")
    assert (failed.status, failed.error) == (ProcessingStatus.FAILED, "decoder crashed")


async def _stream(data: bytes):
    yield data
