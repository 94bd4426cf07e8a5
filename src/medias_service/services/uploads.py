"""Uploading: a new media (version 1) or a new version of a media, streamed straight to storage."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog

from medias_service.domain.content import ContentPolicy, kind_of
from medias_service.domain.errors import EmailNotVerified
from medias_service.domain.filenames import sanitize_filename
from medias_service.domain.library import (
    Limits,
    UploadMetadata,
    default_title,
    normalize_description,
    normalize_title,
)
from medias_service.domain.media import Media, MediaVersion, new_storage_key
from medias_service.domain.permissions import MEDIA_WRITE, MEDIA_WRITE_ANY, can_write
from medias_service.domain.tags import normalize_tags
from medias_service.ports.directory import OwnerLimits
from medias_service.ports.folders import FolderRepository
from medias_service.ports.processing import ProcessingRequests
from medias_service.ports.quota import Reservation
from medias_service.ports.repositories import BlobRepository, MediaRepository
from medias_service.ports.storage import MediaStorage
from medias_service.ports.uploads import UploadSource
from medias_service.services.access import require, user_of, visible_media
from medias_service.services.folders import destination
from medias_service.services.metering import SizeGate, UploadMeter
from medias_service.services.quota import UploadQuota
from qhitz_shared.ids import new_id
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal

log = structlog.get_logger(__name__)

Also = Callable[[Media], Awaitable[None]]
"""More work for the recording transaction, given the media just recorded."""


@dataclass(frozen=True, slots=True)
class ReceivedFile:
    storage_key: str
    sha256: str
    size: int
    content_type: str
    filename: str | None
    metadata: UploadMetadata
    limits: Limits
    reservation: Reservation | None


class UploadService:
    """Streams the body to a fresh storage key while metering it, then records it in one transaction.

    Before the body is read, its announced length (Content-Length) is reserved against the owner's quota
    (UploadQuota); when it cannot be (no length, or no room for the whole request) the file is metered as it
    streams against what remains. Storing the bytes settles the reservation; any failure releases it.
    No database transaction is open while the body streams. On any failure (a limit, bad content, a truncated
    body, a database error) the stored object is deleted and nothing is committed. When the owner already has
    the same bytes, the new object is dropped after the commit and the existing blob is referenced instead.
    """

    def __init__(
        self,
        media: MediaRepository,
        blobs: BlobRepository,
        storage: MediaStorage,
        limits: OwnerLimits,
        processing: ProcessingRequests,
        uow: UnitOfWork,
        policy: ContentPolicy,
        quota: UploadQuota,
        folders: FolderRepository,
    ) -> None:
        self._folders = folders
        self._media = media
        self._blobs = blobs
        self._storage = storage
        self._limits = limits
        self._processing = processing
        self._uow = uow
        self._policy = policy
        self._quota = quota

    async def upload_media(self, actor: Principal, source: UploadSource) -> Media:
        owner_id = user_of(actor).user_id
        require(actor.has(MEDIA_WRITE), MEDIA_WRITE)
        return await self.upload_for_owner(owner_id, source)

    async def upload_for_owner(self, owner_id: uuid.UUID, source: UploadSource) -> Media:
        """A new media of ``owner_id`` (their upload limit and quota apply), for a trusted service acting on the
        owner's behalf (a generated output of studio_service); callers have checked who may do so."""
        return await self.record_media(owner_id, await self._receive(owner_id, source))

    async def upload_version(self, actor: Principal, media_id: uuid.UUID, source: UploadSource) -> Media:
        owner_id = await self.version_owner(actor, media_id)
        return await self.record_version(actor, media_id, await self._receive(owner_id, source))

    async def version_owner(self, actor: Principal, media_id: uuid.UUID) -> uuid.UUID:
        """Whose limits and quota a new version of ``media_id`` counts against, once ``actor`` may write it
        (MediaNotFound, PermissionDenied)."""
        media = await visible_media(self._media, user_of(actor), media_id)
        require(can_write(actor, media), MEDIA_WRITE_ANY if media.owner_id != actor.user_id else MEDIA_WRITE)
        return media.owner_id

    async def record_media(self, owner_id: uuid.UUID, received: ReceivedFile, *, also: Also | None = None) -> Media:
        """Records stored bytes as a new media of ``owner_id`` in one transaction (with ``also``, run just
        before the commit); on any failure the stored object is deleted and nothing is committed."""
        try:
            metadata = received.metadata
            title = normalize_title(metadata.title) if metadata.title else default_title(received.filename)
            description = normalize_description(metadata.description)
            tags = normalize_tags(metadata.tags or [])
            media = Media(
                id=new_id(),
                owner_id=owner_id,
                title=title,
                description=description,
                is_public=bool(metadata.is_public),
                folder_id=await destination(self._folders, owner_id, metadata.folder_id),
            )
            version, created = await self._new_version(media, 1, received)
            await self._media.add(media, version)
            await self._media.set_tags(media, tags)
            media.tags = tags
            await self._processing.version_created(media, version)
            if also is not None:
                await also(media)
            await self._uow.commit()
        except BaseException:
            await self._abandon(received)
            raise
        if not created:
            await self.discard(received.storage_key)
        return media

    async def record_version(
        self, actor: Principal, media_id: uuid.UUID, received: ReceivedFile, *, also: Also | None = None
    ) -> Media:
        """Records stored bytes as the new current version of ``media_id``, as ``record_media`` does."""
        try:
            media = await visible_media(self._media, actor, media_id, lock=True)  # it may have moved meanwhile
            version, created = await self._new_version(media, media.version_count + 1, received)
            media.make_current(version)
            await self._media.add_version(media, version)
            await self._processing.version_created(media, version)
            if also is not None:
                await also(media)
            await self._uow.commit()
        except BaseException:
            await self._abandon(received)
            raise
        if not created:
            await self.discard(received.storage_key)
        return media

    async def _receive(self, owner_id: uuid.UUID, source: UploadSource) -> ReceivedFile:
        limits = await self._limits.of(owner_id)
        if limits.must_verify_email:
            raise EmailNotVerified("Verify your email address before uploading (see the mail sent to it)")
        gate, reservation = await self._gate(owner_id, limits, source.body_length)
        try:
            await source.start()
            meter = UploadMeter(gate, self._policy, source.declared_type)
            key = new_storage_key()
            await self._storage.write(key, meter.pipe(source.chunks()))  # removes its partial object on failure
            try:
                metadata = await source.finish()
            except BaseException:
                await self.discard(key)
                raise
        except BaseException:
            await self._quota.release(reservation)
            raise
        assert meter.content_type is not None
        return ReceivedFile(
            storage_key=key,
            sha256=meter.sha256,
            size=meter.size,
            content_type=meter.content_type,
            filename=sanitize_filename(source.filename),
            metadata=metadata,
            limits=limits,
            reservation=reservation,
        )

    async def _gate(
        self, owner_id: uuid.UUID, limits: Limits, body_length: int | None
    ) -> tuple[SizeGate, Reservation | None]:
        """The announced length reserved (the file is then bounded by it), or else the room left now."""
        if body_length is not None:
            SizeGate(limits.max_upload_bytes, None).check_announced(body_length)
            reservation = await self._quota.reserve(owner_id, body_length, limits.storage_quota_bytes)
            if reservation is not None:
                return SizeGate(limits.max_upload_bytes, reservation.bytes), reservation
        usage = await self._blobs.usage(owner_id)
        await self._uow.rollback()  # hold no connection while the body streams
        gate = SizeGate.of(limits, usage)
        gate.check_announced(body_length)  # before reading any of the body
        return gate, None

    async def _new_version(self, media: Media, number: int, received: ReceivedFile) -> tuple[MediaVersion, bool]:
        await self._quota.settle(received.reservation)
        blob, created = await self._blobs.claim(
            media.owner_id, received.sha256, received.size, received.storage_key, received.limits.storage_quota_bytes
        )
        version = MediaVersion(
            id=new_id(),
            media_id=media.id,
            number=number,
            blob_id=blob.id,
            size=received.size,
            sha256=received.sha256,
            content_type=received.content_type,
            kind=kind_of(received.content_type),
            original_filename=received.filename,
            storage_key=blob.storage_key,
        )
        media.make_current(version)
        return version, created

    async def _abandon(self, received: ReceivedFile) -> None:
        await self._uow.rollback()
        await self._quota.release(received.reservation)
        await self.discard(received.storage_key)

    async def discard(self, key: str) -> None:
        """Best effort, shielded from cancellation: a failure here must not hide the error being handled."""
        try:
            await asyncio.shield(self._storage.delete([key]))
        except Exception as exc:
            log.warning("storage_delete_failed", storage_key=key, error=repr(exc))
