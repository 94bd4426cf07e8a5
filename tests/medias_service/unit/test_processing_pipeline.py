"""The processing job and the outbox relay with fakes: idempotence, what fails at once and what is retried, and
what the relay marks sent."""

from __future__ import annotations

import copy
import uuid
from collections.abc import AsyncIterator, Sequence

import pytest

from medias_service.domain.events import Event, MediaFailed, MediaProcessed
from medias_service.domain.media import Media, MediaKind, MediaSize, MediaVersion, ProcessingStatus
from medias_service.domain.processing import (
    SIZE_CONTENT_TYPE,
    MediaInfo,
    Processed,
    Rendition,
    SizeSpec,
    UnprocessableMedia,
    planned_sizes,
)
from medias_service.services.pipeline import JobOutcome, VersionPipeline
from medias_service.services.processing import ProcessingService
from qhitz_shared.ids import new_id
from qhitz_shared.outbox.events import OutgoingEvent
from qhitz_shared.outbox.relay import OutboxRelay, PublishFailed
from tests.medias_service.unit.fakes import (
    FakeBlobRepository,
    FakeDatabase,
    FakeMediaRepository,
    FakeStorage,
    FakeUnitOfWork,
)

READY, PROCESSING, PENDING, FAILED = (
    ProcessingStatus.READY,
    ProcessingStatus.PROCESSING,
    ProcessingStatus.PENDING,
    ProcessingStatus.FAILED,
)


class FakeJournal:
    """ProcessingJournal over the fake database's versions; events are kept in order."""

    def __init__(self, db: FakeDatabase) -> None:
        self._db = db
        self.events: list[Event] = []

    def _version(self, version_id: uuid.UUID) -> MediaVersion | None:
        return self._db.state.versions.get(version_id)

    async def start(self, version_id: uuid.UUID):
        version = self._version(version_id)
        if version is None or version.status is READY:
            return None
        names = {size.name for size in version.sizes}
        for spec in planned_sizes(version.content_type):
            if spec.name not in names:
                version.sizes.append(MediaSize(id=new_id(), version_id=version_id, name=spec.name))
        self._set(version, PROCESSING)
        return copy.deepcopy(version), self._db.state.media[version.media_id].owner_id

    async def finish(self, version: MediaVersion, info: MediaInfo) -> None:
        stored = self._version(version.id)
        assert stored is not None
        stored.sizes = [size for size in stored.sizes if size.blob_id]
        stored.info = info
        self._set(stored, READY)

    async def fail(self, version_id: uuid.UUID, reason: str):
        version = self._version(version_id)
        if version is None or version.status is READY:
            return None
        self._set(version, FAILED)
        version.error = reason
        return version.media_id, self._db.state.media[version.media_id].owner_id

    async def postpone(self, version_id: uuid.UUID) -> None:
        version = self._version(version_id)
        if version is not None and version.status is not READY:
            self._set(version, PENDING)

    async def restart(self, version: MediaVersion) -> None:
        raise NotImplementedError

    async def record(self, event: Event) -> None:
        self.events.append(event)

    @staticmethod
    def _set(version: MediaVersion, status: ProcessingStatus) -> None:
        version.status = status
        for size in version.sizes:
            if size.status is not READY:
                size.status = status


class FakeProcessor:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.asked: list[list[str]] = []

    async def process(self, content: AsyncIterator[bytes], content_type: str, sizes: Sequence[SizeSpec]) -> Processed:
        data = b"".join([chunk async for chunk in content])
        self.asked.append([spec.name for spec in sizes])
        if self.error is not None:
            raise self.error
        renditions = [
            Rendition(spec.name, SIZE_CONTENT_TYPE, spec.edge, spec.edge // 2, data[:10] + spec.name.encode())
            for spec in sizes
        ]
        return Processed(MediaInfo(width=4000, height=2000), renditions)


class World:
    def __init__(self, processor: FakeProcessor | None = None) -> None:
        self.db = FakeDatabase()
        self.storage = FakeStorage()
        self.media = FakeMediaRepository(self.db)
        self.blobs = FakeBlobRepository(self.db)
        self.uow = FakeUnitOfWork(self.db)
        self.journal = FakeJournal(self.db)
        self.processor = processor or FakeProcessor()
        self.sizes = ProcessingService(self.media, self.blobs, self.storage, self.uow)
        self.pipeline = VersionPipeline(self.journal, self.processor, self.storage, self.sizes, self.uow)

    async def version(self, content_type: str = "image/jpeg") -> MediaVersion:
        owner = uuid.uuid4()
        data = b"original bytes"
        self.storage.objects["blobs/original"] = data
        blob, _ = await self.blobs.claim(owner, "0" * 64, len(data), "blobs/original", None)
        media = Media(id=new_id(), owner_id=owner, title="t")
        version = MediaVersion(
            id=new_id(),
            media_id=media.id,
            number=1,
            blob_id=blob.id,
            size=len(data),
            sha256="0" * 64,
            content_type=content_type,
            kind=MediaKind.IMAGE,
            original_filename="x.jpg",
            storage_key="blobs/original",
        )
        media.make_current(version)
        await self.media.add(media, version)
        await self.uow.commit()
        return version

    def stored(self, version: MediaVersion) -> MediaVersion:
        return self.db.committed.versions[version.id]


async def test_a_version_gets_every_size_its_metadata_and_a_processed_event():
    world = World()
    version = await world.version()
    assert await world.pipeline.run(version.id) is JobOutcome.READY
    stored = world.stored(version)
    assert stored.status is READY
    assert sorted(size.name for size in stored.sizes) == ["large", "medium", "small", "thumb"]
    assert {size.status for size in stored.sizes} == {READY}
    assert stored.info == MediaInfo(width=4000, height=2000)
    [event] = world.journal.events
    assert isinstance(event, MediaProcessed)
    assert event.sizes == ("large", "medium", "small", "thumb")


async def test_a_duplicate_delivery_of_a_ready_version_does_nothing():
    world = World()
    version = await world.version()
    await world.pipeline.run(version.id)
    objects = dict(world.storage.objects)
    assert await world.pipeline.run(version.id) is JobOutcome.SKIPPED
    assert world.processor.asked == [["thumb", "small", "medium", "large"]]  # read once
    assert world.storage.objects == objects
    assert len(world.journal.events) == 1


async def test_sizes_stored_by_an_interrupted_run_are_not_rendered_again():
    world = World()
    version = await world.version()
    # an earlier run stored the thumbnail, then its worker died before the rest
    await world.sizes.add_size(version.id, "thumb", _chunks(b"thumb"), content_type=SIZE_CONTENT_TYPE)
    thumb = next(size for size in world.stored(version).sizes if size.name == "thumb")
    assert await world.pipeline.run(version.id) is JobOutcome.READY
    assert world.processor.asked == [["small", "medium", "large"]]
    stored = world.stored(version)
    assert sorted(size.name for size in stored.sizes) == ["large", "medium", "small", "thumb"]
    assert next(size for size in stored.sizes if size.name == "thumb").id == thumb.id
    assert world.journal.events[-1].sizes == ("large", "medium", "small", "thumb")


async def test_content_that_cannot_be_processed_fails_at_once_with_its_reason():
    world = World(FakeProcessor(UnprocessableMedia("The image has 40,000,000 pixels")))
    version = await world.version()
    assert await world.pipeline.run(version.id) is JobOutcome.FAILED
    stored = world.stored(version)
    assert (stored.status, stored.error) == (FAILED, "The image has 40,000,000 pixels")
    assert {size.status for size in stored.sizes} == {FAILED}
    [event] = world.journal.events
    assert isinstance(event, MediaFailed) and event.error == "The image has 40,000,000 pixels"


async def test_other_errors_are_left_to_the_retry_policy():
    world = World(FakeProcessor(OSError("storage hiccup")))
    version = await world.version()
    with pytest.raises(OSError, match="storage hiccup"):
        await world.pipeline.run(version.id)
    await world.pipeline.postpone(version.id)
    assert world.stored(version).status is PENDING
    await world.pipeline.give_up(version.id, "OSError: storage hiccup", attempts=5)
    stored = world.stored(version)
    assert (stored.status, stored.error) == (FAILED, "Processing failed after 5 attempts: OSError: storage hiccup")
    assert world.journal.events == [
        MediaFailed(version.media_id, version.id, event_owner(world, version), stored.error)
    ]


async def test_a_late_failure_never_undoes_a_ready_version():
    world = World()
    version = await world.version()
    await world.pipeline.run(version.id)
    await world.pipeline.postpone(version.id)
    await world.pipeline.give_up(version.id, "too late", attempts=5)
    assert world.stored(version).status is READY
    assert [type(event) for event in world.journal.events] == [MediaProcessed]


def event_owner(world: World, version: MediaVersion) -> uuid.UUID:
    return world.db.committed.media[version.media_id].owner_id


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


class FakeOutboxStore:
    def __init__(self, count: int) -> None:
        self.rows = {new_id(): None for _ in range(count)}  # id -> sent marker
        self.failures: dict[uuid.UUID, int] = {}

    async def pending(self, limit: int) -> list[OutgoingEvent]:
        unsent = [row_id for row_id, sent in self.rows.items() if sent is None][:limit]
        return [OutgoingEvent(row_id, "media.version.created", b"{}") for row_id in unsent]

    async def mark_sent(self, ids) -> None:
        for row_id in ids:
            self.rows[row_id] = "sent"

    async def note_failure(self, ids, error: str) -> None:
        for row_id in ids:
            self.failures[row_id] = self.failures.get(row_id, 0) + 1

    async def forget_sent(self, sent_before, limit: int) -> int:
        return 0


class FlakyPublisher:
    def __init__(self, refuse: set[uuid.UUID] | None = None, down: bool = False) -> None:
        self.refuse = refuse or set()
        self.down = down
        self.published: list[uuid.UUID] = []

    async def publish(self, event: OutgoingEvent) -> None:
        if self.down or event.id in self.refuse:
            raise ConnectionError("broker unreachable")
        self.published.append(event.id)


class CountingUnitOfWork:
    def __init__(self) -> None:
        self.commits = 0

    async def commit(self) -> None:
        self.commits += 1

    async def rollback(self) -> None:
        return None


async def test_the_relay_marks_sent_only_what_the_publisher_confirmed():
    store = FakeOutboxStore(5)
    refused = next(iter(store.rows))
    publisher = FlakyPublisher(refuse={refused})
    uow = CountingUnitOfWork()
    relay = OutboxRelay(store, publisher, uow)
    with pytest.raises(PublishFailed, match="1 of 5"):
        await relay.relay_batch(limit=10)
    assert uow.commits == 1
    assert [row_id for row_id, sent in store.rows.items() if sent is None] == [refused]
    assert store.failures == {refused: 1}
    publisher.refuse.clear()
    assert await relay.relay_batch(limit=10) == 1
    assert await relay.relay_batch(limit=10) == 0


async def test_while_the_broker_is_down_nothing_is_marked_sent():
    store = FakeOutboxStore(3)
    relay = OutboxRelay(store, FlakyPublisher(down=True), CountingUnitOfWork())
    for _ in range(3):
        with pytest.raises(PublishFailed, match="3 of 3"):
            await relay.relay_batch(limit=10)
    assert set(store.rows.values()) == {None}
    assert set(store.failures.values()) == {3}
