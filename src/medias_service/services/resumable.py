"""Resumable (tus) uploads: creation, status, termination and expiry. Appending bytes is ResumableAppend's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import structlog

from medias_service.domain.errors import EmptyFile, UploadBusy, UploadCompleted, UploadNotFound
from medias_service.domain.library import UploadMetadata, normalize_description, normalize_title
from medias_service.domain.media import new_storage_key
from medias_service.domain.permissions import MEDIA_WRITE
from medias_service.domain.resumable import ResumableUpload, UploadIntent
from medias_service.domain.tags import normalize_tags
from medias_service.ports.directory import OwnerLimits
from medias_service.ports.folders import FolderRepository
from medias_service.ports.quota import Reservation
from medias_service.ports.repositories import BlobRepository
from medias_service.ports.resumable import PartialStorage, ResumableUploads
from medias_service.services.access import require, user_of
from medias_service.services.folders import destination
from medias_service.services.metering import SizeGate
from medias_service.services.quota import UploadQuota
from medias_service.services.resumable_meter import UploadHashes
from medias_service.services.uploads import UploadService
from qhitz_shared.ids import new_id
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class ResumableRules:
    """``ttl``: how long an upload waits for its next bytes before it is removed; ``lease``: how long a request
    sending bytes holds the upload without renewing (a crashed holder blocks it no longer). The quota reservation
    outlives the upload by ``reservation_slack``, so the expiry sweep, not the reservation's own expiry, frees it.
    Requests storing bytes move the expiry (and the reservation's) in steps of ``extend_step``, not each time."""

    ttl: timedelta = timedelta(hours=24)
    extend_step: timedelta = timedelta(minutes=10)
    lease: timedelta = timedelta(seconds=60)
    reservation_slack: timedelta = timedelta(hours=1)


def reservation_of(upload: ResumableUpload) -> Reservation | None:
    """The upload's reservation as UploadQuota takes it (settling and releasing need only its id)."""
    if upload.reservation_id is None:
        return None
    return Reservation(upload.reservation_id, upload.owner_id, upload.length, upload.expires_at)


def _checked(intent: UploadIntent) -> UploadIntent:
    """The texts in their stored form now (InvalidMediaData, InvalidTag), not after the last byte."""
    meta = intent.metadata
    checked = UploadMetadata(
        title=normalize_title(meta.title) if meta.title else None,
        description=normalize_description(meta.description),
        tags=normalize_tags(meta.tags) if meta.tags is not None else None,
        is_public=meta.is_public,
        folder_id=meta.folder_id,
    )
    return replace(intent, metadata=checked, declared_type=(intent.declared_type or "")[:255] or None)


def now() -> datetime:
    return datetime.now(UTC)


class ResumableUploadService:
    """An upload belongs to its creator: anyone else (and everyone, once it expired) gets UploadNotFound. The
    size is checked at creation against the same limits and quota as a multipart upload."""

    def __init__(
        self,
        uploads: ResumableUploads,
        partial: PartialStorage,
        recording: UploadService,
        limits: OwnerLimits,
        blobs: BlobRepository,
        hashes: UploadHashes,
        uow: UnitOfWork,
        rules: ResumableRules,
        quota: UploadQuota,
        folders: FolderRepository,
    ) -> None:
        self._quota = quota
        self._folders = folders
        self._uploads = uploads
        self._partial = partial
        self._recording = recording
        self._limits = limits
        self._blobs = blobs
        self._hashes = hashes
        self._uow = uow
        self._rules = rules

    async def create(self, actor: Principal, length: int, intent: UploadIntent) -> ResumableUpload:
        """A new upload of ``length`` bytes (EmptyFile, FileTooLarge, QuotaExceeded, FolderNotFound; for a version
        also MediaNotFound, PermissionDenied). ``length`` is reserved in the quota owner's quota until the upload
        completes, is terminated or expires; when it does not fit, the upload goes on unreserved only if it may be
        a duplicate of stored bytes (which cost nothing), as a multipart upload would. Its partial object exists
        when it returns."""
        user = user_of(actor)
        if intent.media_id is not None:
            quota_owner = await self._recording.version_owner(actor, intent.media_id)
        else:
            require(actor.has(MEDIA_WRITE), MEDIA_WRITE)
            quota_owner = user.user_id
        if length <= 0:
            raise EmptyFile("The file is empty")
        intent = _checked(intent)
        if intent.media_id is None:
            await destination(self._folders, quota_owner, intent.metadata.folder_id)
        limits = await self._limits.of(quota_owner)
        SizeGate(limits.max_upload_bytes, None).check(length)
        expires_at = now() + self._rules.ttl
        reservation = await self._quota.reserve(
            quota_owner, length, limits.storage_quota_bytes, ttl=self._rules.ttl + self._rules.reservation_slack
        )
        if reservation is None:
            SizeGate.of(limits, await self._blobs.usage(quota_owner)).check(length)
            await self._uow.rollback()
        try:
            return await self._open(user.user_id, length, intent, expires_at, reservation)
        except BaseException:
            await self._quota.release(reservation)
            raise

    async def _open(
        self,
        owner_id: uuid.UUID,
        length: int,
        intent: UploadIntent,
        expires_at: datetime,
        reservation: Reservation | None,
    ) -> ResumableUpload:
        upload = ResumableUpload(
            id=new_id(),
            owner_id=owner_id,
            length=length,
            intent=intent,
            storage_key=new_storage_key(),
            expires_at=expires_at,
            reservation_id=reservation.id if reservation else None,
        )
        upload.data = await self._partial.begin(upload)
        try:
            await self._uploads.add(upload)
            await self._uow.commit()
        except BaseException:
            await self._uow.rollback()
            await self._partial.discard(upload)
            raise
        return upload

    async def status(self, actor: Principal, upload_id: uuid.UUID) -> ResumableUpload:
        upload = await self._uploads.get(upload_id)
        await self._uow.rollback()
        if upload is None or upload.owner_id != user_of(actor).user_id or upload.expired(now()):
            raise UploadNotFound(f"No upload {upload_id}")
        return upload

    async def terminate(self, actor: Principal, upload_id: uuid.UUID) -> None:
        """Removes the upload and its partial data (UploadBusy while a request is sending it bytes)."""
        upload = await self.status(actor, upload_id)
        holder = uuid.uuid4()
        await self.hold(upload, holder)
        await self.remove(upload)

    async def take(self, actor: Principal, upload_id: uuid.UUID, holder: uuid.UUID) -> ResumableUpload:
        """The actor's upload, leased to ``holder`` (one statement, committed on its own; the lease may be on a
        completed upload: the caller releases it). When it is held: UploadNotFound as ``status``, UploadCompleted
        when its bytes became a media, else UploadBusy."""
        moment = now()
        owner = user_of(actor).user_id
        upload = await self._uploads.take(upload_id, owner, holder, moment, moment + self._rules.lease)
        if upload is not None:
            return upload
        upload = await self.status(actor, upload_id)  # not the actor's or expired: UploadNotFound
        if upload.complete:  # recording keeps the lease until the media exists
            raise UploadCompleted("The upload is complete", media_id=str(upload.media_id))
        raise UploadBusy("Another request is sending bytes to this upload; retry when it ends")

    async def hold(self, upload: ResumableUpload, holder: uuid.UUID) -> None:
        """Takes or renews the upload's lease for ``holder`` (UploadBusy when another request has it; committed on
        its own)."""
        moment = now()
        leased = await self._uploads.lease(upload.id, holder, moment, moment + self._rules.lease)
        if not leased:
            raise UploadBusy("Another request is sending bytes to this upload; retry when it ends")

    async def remove(self, upload: ResumableUpload) -> None:
        """Partial data first, then the record, then the reservation: a failure leaves the record, and the expiry
        sweep retries (a reservation that could not be released expires by itself)."""
        if not upload.complete:
            await self._partial.discard(upload)
        await self._uploads.delete(upload.id)
        await self._uow.commit()
        self._hashes.forget(upload.id)
        if not upload.complete:
            await self._quota.release(reservation_of(upload))

    async def extend(self, upload: ResumableUpload) -> bool:
        """At least another ``ttl`` for the upload, and its reservation when the expiry moved (at most once per
        ``extend_step``): True then, and the reservation's is written with the caller's next commit."""
        if not upload.extend(now(), self._rules.ttl, self._rules.extend_step):
            return False
        await self._quota.prolong(reservation_of(upload), upload.expires_at + self._rules.reservation_slack)
        return True

    async def expire(self, limit: int = 100) -> int:
        """Removes up to ``limit`` expired uploads nobody is sending bytes to, with their partial data."""
        removed = 0
        expired = await self._uploads.expired(now(), limit)
        await self._uow.rollback()  # the lease runs on a connection of its own: this one goes back meanwhile
        for upload in expired:
            try:
                await self.hold(upload, uuid.uuid4())
                await self.remove(upload)
                removed += 1
            except Exception as exc:  # the next sweep retries this one
                await self._uow.rollback()
                log.warning("resumable_expiry_failed", upload_id=str(upload.id), error=repr(exc))
        return removed
