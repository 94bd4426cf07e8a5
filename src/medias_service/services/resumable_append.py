"""Appending a tus PATCH's bytes to an upload, and turning the complete upload into a media or a version through
the same recording as the multipart route."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass

from medias_service.domain.content import ContentPolicy
from medias_service.domain.errors import (
    ChecksumMismatch,
    ContentTypeMismatch,
    UnsupportedMediaType,
    UploadBusy,
    UploadCompleted,
    UploadIncomplete,
)
from medias_service.domain.filenames import sanitize_filename
from medias_service.domain.media import Media
from medias_service.domain.resumable import ResumableUpload
from medias_service.ports.directory import OwnerLimits
from medias_service.ports.resumable import PartialStorage, ResumableUploads
from medias_service.ports.storage import MediaStorage
from medias_service.services.resumable import ResumableRules, ResumableUploadService, reservation_of
from medias_service.services.resumable_meter import PatchMeter, UploadHashes
from medias_service.services.uploads import ReceivedFile, UploadService
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal


@dataclass(slots=True)
class PatchBody:
    """One request's bytes: ``announced`` is its Content-Length when given; ``checksum`` the client's
    (algorithm, digest) for the whole body. ``interrupted`` is set by the source when the client went away
    before the end: the bytes that did arrive are kept (unless a checksum covers the whole body)."""

    chunks: AsyncIterable[bytes]
    announced: int | None = None
    checksum: tuple[str, bytes] | None = None
    interrupted: bool = False


@dataclass(frozen=True, slots=True)
class Appended:
    upload: ResumableUpload
    media: Media | None = None
    """The media recorded when this request completed the upload."""


class ResumableAppend:
    """One request appends at a time (a lease in the database, so across replicas): others get UploadBusy. An
    offset other than the stored one is UploadOffsetMismatch; bytes past the length UploadLengthExceeded; a
    checksum that does not match ChecksumMismatch, and its bytes are not kept. Content that is not accepted
    ends the upload (UnsupportedMediaType): its bytes are removed."""

    def __init__(
        self,
        lifecycle: ResumableUploadService,
        uploads: ResumableUploads,
        partial: PartialStorage,
        storage: MediaStorage,
        recording: UploadService,
        limits: OwnerLimits,
        hashes: UploadHashes,
        uow: UnitOfWork,
        rules: ResumableRules,
        policy: ContentPolicy,
    ) -> None:
        self._lifecycle = lifecycle
        self._uploads = uploads
        self._partial = partial
        self._storage = storage
        self._recording = recording
        self._limits = limits
        self._hashes = hashes
        self._uow = uow
        self._rules = rules
        self._policy = policy

    async def append(self, actor: Principal, upload_id: uuid.UUID, offset: int, body: PatchBody) -> Appended:
        holder = uuid.uuid4()
        upload = await self._lifecycle.take(actor, upload_id, holder)
        try:
            if upload.complete:  # its bytes are a media now: nothing may touch them again
                raise UploadCompleted("The upload is complete", media_id=str(upload.media_id))
            upload.check_patch(offset, body.announced)
            meter = PatchMeter(upload, self._policy, self._hashes.resume(upload), _checksum(body.checksum))
            try:
                stored, data = await self._partial.append(upload, meter.pipe(self._renewing(upload, holder, body)))
            except (UnsupportedMediaType, ContentTypeMismatch):
                await self._lifecycle.remove(upload)
                raise
            self._verify(body, meter)
            previous = upload.offset
            upload.offset += stored
            upload.data, upload.head, upload.content_type = data, meter.head, meter.content_type
            completing = upload.offset == upload.length  # then the lease is kept until it is recorded
            await self._record(upload, holder, release=not completing)
        except BaseException:
            await self._release(upload, holder)
            raise
        self._hashes.keep(upload, meter.sha)
        await self._partial.recorded(upload, previous)
        if not completing:
            return Appended(upload)
        try:
            return Appended(upload, await self._finish(actor, upload, meter.sha))
        finally:
            await self._release(upload, holder)

    async def _record(self, upload: ResumableUpload, holder: uuid.UUID, *, release: bool) -> None:
        """The new state, committed (the bytes are durable once stored) while ``holder`` still has the lease
        (UploadBusy if it ran out and another request took the upload meanwhile)."""
        if await self._lifecycle.extend(upload):
            await self._uow.commit()  # the reservation's new expiry
        if not await self._uploads.record(upload, holder, release=release):
            raise UploadBusy("The upload's lease ran out while its bytes were arriving; send them again")

    async def _release(self, upload: ResumableUpload, holder: uuid.UUID) -> None:
        await self._uow.rollback()
        await self._uploads.release(upload.id, holder)

    @staticmethod
    def _verify(body: PatchBody, meter: PatchMeter) -> None:
        if body.checksum is None:
            return
        if body.interrupted:
            raise UploadIncomplete("The request ended before the bytes its Upload-Checksum covers")
        if meter.checksum is None or meter.checksum.digest() != body.checksum[1]:
            raise ChecksumMismatch(f"The bytes do not match their {body.checksum[0]} checksum")

    async def _renewing(self, upload: ResumableUpload, holder: uuid.UUID, body: PatchBody) -> AsyncIterator[bytes]:
        """The body's chunks; the lease is renewed every third of its duration while they keep coming."""
        every = self._rules.lease.total_seconds() / 3
        renew_at = time.monotonic() + every
        async for chunk in body.chunks:
            if time.monotonic() >= renew_at:
                await self._lifecycle.hold(upload, holder)
                renew_at = time.monotonic() + every
            yield chunk

    async def _finish(self, actor: Principal, upload: ResumableUpload, sha: object | None) -> Media:
        """The complete bytes become the final object, recorded as a media or version with the upload marked
        complete in the same transaction. A refusal (quota, media gone...) removes the upload and its bytes."""
        intent = upload.intent
        quota_owner = upload.owner_id
        if intent.media_id is not None:
            quota_owner = await self._recording.version_owner(actor, intent.media_id)
        limits = await self._limits.of(quota_owner)
        assert upload.content_type is not None
        await self._partial.complete(upload)

        async def mark_complete(media: Media) -> None:
            upload.media_id = media.id
            await self._uploads.save(upload)

        try:
            digest = sha.hexdigest() if sha is not None else await self._rehash(upload.storage_key)  # type: ignore[attr-defined]
            received = ReceivedFile(
                storage_key=upload.storage_key,
                sha256=digest,
                size=upload.length,
                content_type=upload.content_type,
                filename=sanitize_filename(intent.filename),
                metadata=intent.metadata,
                limits=limits,
                reservation=reservation_of(upload),
            )
            if intent.media_id is not None:
                return await self._recording.record_version(actor, intent.media_id, received, also=mark_complete)
            return await self._recording.record_media(upload.owner_id, received, also=mark_complete)
        except BaseException:
            await self._uow.rollback()
            await self._recording.discard(upload.storage_key)  # recording removes it too; missing keys are fine
            upload.media_id = None
            await self._lifecycle.remove(upload)  # the record, what is left of the data, the reservation
            raise
        finally:
            self._hashes.forget(upload.id)

    async def _rehash(self, key: str) -> str:
        sha = hashlib.sha256()
        async for chunk in self._storage.read(key):
            sha.update(chunk)
        return sha.hexdigest()


def _checksum(checksum: tuple[str, bytes] | None) -> object | None:
    return hashlib.new(checksum[0]) if checksum is not None else None
