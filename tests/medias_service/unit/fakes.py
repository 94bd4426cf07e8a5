"""In-memory fakes of medias_service's ports. One FakeDatabase holds the rows; the fake unit of work snapshots
it on commit and restores the snapshot on rollback, so tests see exactly what a transaction would keep."""

from __future__ import annotations

import copy
import uuid
from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from medias_service.domain.errors import QuotaExceeded
from medias_service.domain.folders import Folder
from medias_service.domain.library import Limits, MediaFilter, MediaStats, StorageUsage, UploadMetadata
from medias_service.domain.media import Blob, Media, MediaSize, MediaVersion
from medias_service.ports.quota import Reservation
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest


@dataclass
class State:
    media: dict[uuid.UUID, Media] = field(default_factory=dict)
    versions: dict[uuid.UUID, MediaVersion] = field(default_factory=dict)
    blobs: dict[uuid.UUID, Blob] = field(default_factory=dict)
    usage: dict[uuid.UUID, int] = field(default_factory=dict)
    reservations: dict[uuid.UUID, Reservation] = field(default_factory=dict)
    garbage: list[str] = field(default_factory=list)


class FakeDatabase:
    def __init__(self) -> None:
        self.state = State()
        self.committed = State()
        self.commits = 0
        self.rollbacks = 0


class FakeUnitOfWork:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def commit(self) -> None:
        self._db.committed = copy.deepcopy(self._db.state)
        self._db.commits += 1

    async def rollback(self) -> None:
        self._db.state = copy.deepcopy(self._db.committed)
        self._db.rollbacks += 1


class FakeMediaRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    @property
    def _s(self) -> State:
        return self._db.state

    def _with_versions(self, media: Media) -> Media:
        media = copy.deepcopy(media)
        current = [v for v in self._s.versions.values() if v.media_id == media.id and v.number == media.version_count]
        media.current_version = copy.deepcopy(current[0]) if current else media.current_version
        return media

    async def get(self, media_id: uuid.UUID, *, lock: bool = False) -> Media | None:
        media = self._s.media.get(media_id)
        return self._with_versions(media) if media else None

    async def add(self, media: Media, version: MediaVersion) -> None:
        media.created_at = media.updated_at = datetime.now(UTC)
        await self.add_version(media, version)

    async def add_version(self, media: Media, version: MediaVersion) -> None:
        version.created_at = datetime.now(UTC)
        self._s.versions[version.id] = copy.deepcopy(version)
        stored = copy.deepcopy(media)
        stored.current_version = None
        stored.tags = self._s.media[media.id].tags if media.id in self._s.media else []
        self._s.media[media.id] = stored

    async def save(self, media: Media) -> None:
        stored = self._s.media[media.id]
        stored.title, stored.description, stored.is_public = media.title, media.description, media.is_public
        stored.deleted_at = media.deleted_at

    async def set_tags(self, media: Media, tags: list[str]) -> None:
        self._s.media[media.id].tags = list(tags)

    async def list(self, filters: MediaFilter, page: PageRequest) -> tuple[list[Media], int]:
        found = [m for m in self._s.media.values() if m.owner_id == filters.owner_id and m.deleted_at is None]
        return [self._with_versions(m) for m in found][page.offset : page.offset + page.limit], len(found)

    async def list_trash(self, owner_id: uuid.UUID, page: PageRequest) -> tuple[list[Media], int]:
        found = [m for m in self._s.media.values() if m.owner_id == owner_id and m.deleted_at is not None]
        return [self._with_versions(m) for m in found], len(found)

    async def versions(self, media_id: uuid.UUID) -> list[MediaVersion]:
        found = [copy.deepcopy(v) for v in self._s.versions.values() if v.media_id == media_id]
        return sorted(found, key=lambda v: -v.number)

    async def version(self, media_id: uuid.UUID, number: int) -> MediaVersion | None:
        return next((v for v in await self.versions(media_id) if v.number == number), None)

    async def version_by_id(self, version_id: uuid.UUID) -> MediaVersion | None:
        version = self._s.versions.get(version_id)
        return copy.deepcopy(version) if version else None

    async def lock_version(self, version_id: uuid.UUID) -> bool:
        return version_id in self._s.versions

    async def save_version_status(self, version: MediaVersion) -> None:
        stored = self._s.versions[version.id]
        stored.status, stored.error = version.status, version.error

    async def put_size(self, size: MediaSize) -> uuid.UUID | None:
        sizes = self._s.versions[size.version_id].sizes
        replaced = next((s for s in sizes if s.name == size.name), None)
        if replaced:
            sizes.remove(replaced)
        sizes.append(copy.deepcopy(size))
        return replaced.blob_id if replaced else None

    async def copy_sizes(self, source: MediaVersion, target: MediaVersion) -> list[uuid.UUID]:
        copied = [copy.deepcopy(s) for s in source.sizes if s.blob_id]
        for size in copied:
            size.id, size.version_id = new_id(), target.id
        self._s.versions[target.id].sizes = copied
        return [s.blob_id for s in copied if s.blob_id]

    async def delete(self, media_id: uuid.UUID) -> dict[uuid.UUID, int]:
        versions = [v for v in self._s.versions.values() if v.media_id == media_id]
        references = Counter(
            [v.blob_id for v in versions] + [s.blob_id for v in versions for s in v.sizes if s.blob_id]
        )
        for version in versions:
            del self._s.versions[version.id]
        self._s.media.pop(media_id, None)
        return dict(references)

    async def expired_trash(self, deleted_before: datetime, limit: int) -> list[uuid.UUID]:
        found = [m for m in self._s.media.values() if m.deleted_at and m.deleted_at < deleted_before]
        return [m.id for m in sorted(found, key=lambda m: m.deleted_at)][:limit]  # type: ignore[arg-type,return-value]

    async def tag_counts(self, owner_id: uuid.UUID) -> list[tuple[str, int]]:
        counts = Counter(
            t for m in self._s.media.values() if m.owner_id == owner_id and not m.deleted_at for t in m.tags
        )
        return sorted(counts.items())

    async def stats(self, owner_id: uuid.UUID | None) -> MediaStats:
        raise NotImplementedError  # covered against PostgreSQL


class FakeBlobRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    @property
    def _s(self) -> State:
        return self._db.state

    async def usage(self, owner_id: uuid.UUID) -> StorageUsage:
        sizes = [b.size for b in self._s.blobs.values() if b.owner_id == owner_id]
        return StorageUsage(self._s.usage.get(owner_id, 0), max(sizes, default=0), reserved(self._s, owner_id))

    async def claim(
        self, owner_id: uuid.UUID, sha256: str, size: int, storage_key: str, quota_bytes: int | None
    ) -> tuple[Blob, bool]:
        for blob in self._s.blobs.values():
            if blob.owner_id == owner_id and blob.sha256 == sha256:
                blob.refcount += 1
                return copy.deepcopy(blob), False
        used = self._s.usage.get(owner_id, 0)
        if quota_bytes is not None and used + reserved(self._s, owner_id) + size > quota_bytes:
            raise QuotaExceeded("over quota")
        blob = Blob(new_id(), owner_id, sha256, size, storage_key)
        self._s.blobs[blob.id] = blob
        self._s.usage[owner_id] = used + size
        return copy.deepcopy(blob), True

    async def acquire(self, blob_ids: Mapping[uuid.UUID, int]) -> None:
        for blob_id, count in blob_ids.items():
            self._s.blobs[blob_id].refcount += count

    async def release(self, blob_ids: Mapping[uuid.UUID, int]) -> list[str]:
        keys = []
        for blob_id, count in blob_ids.items():
            blob = self._s.blobs[blob_id]
            blob.refcount -= count
            if blob.refcount <= 0:
                del self._s.blobs[blob_id]
                self._s.usage[blob.owner_id] -= blob.size
                keys.append(blob.storage_key)
        self._s.garbage.extend(keys)
        return keys

    async def stored_bytes(self, owner_id: uuid.UUID | None) -> int:
        return sum(v for k, v in self._s.usage.items() if owner_id is None or k == owner_id)

    async def garbage(self, limit: int) -> list[str]:
        return self._s.garbage[:limit]

    async def forget_garbage(self, keys: list[str]) -> None:
        self._s.garbage = [key for key in self._s.garbage if key not in keys]


def reserved(state: State, owner_id: uuid.UUID) -> int:
    return sum(r.bytes for r in state.reservations.values() if r.owner_id == owner_id)


class FakeQuotaReservations:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def reserve(
        self, owner_id: uuid.UUID, size: int, quota_bytes: int, expires_at: datetime
    ) -> Reservation | None:
        state = self._db.state
        if state.usage.get(owner_id, 0) + reserved(state, owner_id) + size > quota_bytes:
            return None
        reservation = Reservation(new_id(), owner_id, size, expires_at)
        state.reservations[reservation.id] = reservation
        return reservation

    async def drop(self, reservation_id: uuid.UUID) -> bool:
        return self._db.state.reservations.pop(reservation_id, None) is not None

    async def expire(self, now: datetime, limit: int) -> int:
        gone = [r.id for r in self._db.state.reservations.values() if r.expires_at < now][:limit]
        return sum([await self.drop(reservation_id) for reservation_id in gone])


class FakeFolders:
    """Folders by id: enough for the use cases that only check where a media goes (the tree itself is tested on
    PostgreSQL and SQLite)."""

    def __init__(self) -> None:
        self.folders: dict[uuid.UUID, Folder] = {}

    async def get(self, folder_id: uuid.UUID, *, lock: bool = False) -> Folder | None:
        return self.folders.get(folder_id)

    async def purge_trashed(self, trashed_before: datetime) -> int:
        gone = [f.id for f in self.folders.values() if f.trashed_at is not None and f.trashed_at < trashed_before]
        for folder_id in gone:
            del self.folders[folder_id]
        return len(gone)


class FakeStorage:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.fail_deletes = False
        self.deleted: list[str] = []

    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> None:
        data = bytearray()
        async for chunk in chunks:  # an error here leaves nothing, like the real adapters
            data += chunk
        self.objects[key] = bytes(data)

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        yield self.objects[key][start:end]

    async def delete(self, keys: Sequence[str]) -> None:
        if self.fail_deletes:
            raise OSError("storage is down")
        for key in keys:
            self.objects.pop(key, None)
            self.deleted.append(key)

    async def ping(self) -> None:
        return None

    async def sweep_incomplete(self, older_than_seconds: float = 86400) -> int:
        return 0


class FakeLimits:
    def __init__(self, max_upload_bytes: int = 10_000_000, quota_bytes: int = 100_000_000) -> None:
        self.limits = Limits(max_upload_bytes, quota_bytes)

    async def of(self, owner_id: uuid.UUID) -> Limits:
        return self.limits


class FakeProcessing:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db
        self.requests: list[tuple[uuid.UUID, int, int]] = []  # media id, version number, commits so far

    async def version_created(self, media: Media, version: MediaVersion) -> None:
        self.requests.append((media.id, version.number, self._db.commits))


class FakeSource:
    """An UploadSource from a list of chunks; ``fail_after`` raises that error once those chunks are sent."""

    def __init__(
        self,
        chunks: list[bytes],
        *,
        filename: str | None = "file.bin",
        declared_type: str | None = None,
        metadata: UploadMetadata | None = None,
        fail_after: tuple[int, Exception] | None = None,
        finish_error: Exception | None = None,
    ) -> None:
        self._chunks = chunks
        self.filename = filename
        self.declared_type = declared_type
        self.body_length: int | None = None
        self._metadata = metadata or UploadMetadata()
        self._fail_after = fail_after
        self._finish_error = finish_error

    async def start(self) -> None:
        return None

    async def chunks(self) -> AsyncIterator[bytes]:
        for index, chunk in enumerate(self._chunks):
            if self._fail_after and index == self._fail_after[0]:
                raise self._fail_after[1]
            yield chunk

    async def finish(self) -> UploadMetadata:
        if self._finish_error:
            raise self._finish_error
        return self._metadata
