"""SqlaProcessingJournal: each version's processing status, its sizes' and the media's, plus the outbox events
recorded with them, always in the caller's transaction."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medias_service.adapters.outbound.persistence.locks import lock_media_of_version
from medias_service.adapters.outbound.persistence.mapping import info_columns, load_versions, versions_query
from medias_service.adapters.outbound.persistence.models import MediaModel, MediaSizeModel, MediaVersionModel
from medias_service.adapters.outbound.persistence.outbox import record_event
from medias_service.domain.events import Event, VersionCreated
from medias_service.domain.media import Media, MediaSize, MediaVersion, ProcessingStatus
from medias_service.domain.processing import MediaInfo, planned_sizes
from qhitz_shared.db import upsert
from qhitz_shared.ids import new_id

PENDING, PROCESSING, READY, FAILED = (str(status) for status in ProcessingStatus)


class SqlaProcessingJournal:
    """Implements ProcessingRequests (for the upload use cases) and ProcessingJournal (for the job)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def version_created(self, media: Media, version: MediaVersion) -> None:
        """The sizes the version will get, pending, and media.version.created in the outbox."""
        names = sorted(spec.name for spec in planned_sizes(version.content_type))
        if names:
            rows = [{"id": new_id(), "version_id": version.id, "name": name, "status": PENDING} for name in names]
            await self._session.execute(insert(MediaSizeModel), rows)
            version.sizes = [MediaSize(id=row["id"], version_id=version.id, name=row["name"]) for row in rows]
        await record_event(self._session, VersionCreated(media_id=media.id, version_id=version.id))

    async def start(self, version_id: uuid.UUID) -> tuple[MediaVersion, uuid.UUID] | None:
        if not await lock_media_of_version(self._session, version_id):
            return None
        found = (
            await self._session.execute(
                select(MediaVersionModel.status, MediaVersionModel.content_type, MediaModel.owner_id)
                .join(MediaModel, MediaModel.id == MediaVersionModel.media_id)
                .where(MediaVersionModel.id == version_id)
            )
        ).one_or_none()
        if found is None or found.status == READY:
            return None
        # sizes planned since the version was recorded (or never recorded) are added now
        names = [spec.name for spec in planned_sizes(found.content_type)]
        if names:
            await self._session.execute(
                upsert(self._session, MediaSizeModel.__table__)
                .values([{"id": new_id(), "version_id": version_id, "name": name, "status": PENDING} for name in names])
                .on_conflict_do_nothing(index_elements=["version_id", "name"])
            )
        await self._set_status(version_id, PROCESSING, sizes=PROCESSING)
        version = (await load_versions(self._session, versions_query().where(MediaVersionModel.id == version_id)))[0]
        return version, found.owner_id

    async def finish(self, version: MediaVersion, info: MediaInfo) -> None:
        await lock_media_of_version(self._session, version.id)
        # planned sizes that could not apply (an audio-only video file has no frame) are dropped, not left waiting
        await self._session.execute(
            delete(MediaSizeModel).where(MediaSizeModel.version_id == version.id, MediaSizeModel.blob_id.is_(None))
        )
        await self._session.execute(
            update(MediaVersionModel).where(MediaVersionModel.id == version.id).values(**info_columns(info))
        )
        await self._set_status(version.id, READY, sizes=READY)

    async def fail(self, version_id: uuid.UUID, reason: str) -> tuple[uuid.UUID, uuid.UUID] | None:
        if not await lock_media_of_version(self._session, version_id):
            return None
        found = (
            await self._session.execute(
                select(MediaVersionModel.media_id, MediaModel.owner_id)
                .join(MediaModel, MediaModel.id == MediaVersionModel.media_id)
                .where(MediaVersionModel.id == version_id, MediaVersionModel.status != READY)
            )
        ).one_or_none()
        if found is None:
            return None
        await self._set_status(version_id, FAILED, sizes=FAILED, error=reason)
        return found.media_id, found.owner_id

    async def postpone(self, version_id: uuid.UUID) -> None:
        await lock_media_of_version(self._session, version_id)
        await self._set_status(version_id, PENDING, sizes=PENDING, unless_ready=True)

    async def restart(self, version: MediaVersion) -> None:
        await lock_media_of_version(self._session, version.id)  # the caller holds the media row already
        await self._set_status(version.id, PENDING, sizes=PENDING, every_size=True)

    async def record(self, event: Event) -> None:
        await record_event(self._session, event)

    async def _set_status(
        self,
        version_id: uuid.UUID,
        status: str,
        *,
        sizes: str,
        error: str | None = None,
        unless_ready: bool = False,
        every_size: bool = False,
    ) -> None:
        """The version, its sizes (the unfinished ones unless ``every_size``) and, when the version is the media's
        current one, the media row's copy of the status."""
        query = update(MediaVersionModel).where(MediaVersionModel.id == version_id)
        if unless_ready:
            query = query.where(MediaVersionModel.status != READY)
        changed = (
            await self._session.execute(
                query.values(status=status, error=error).returning(MediaVersionModel.media_id, MediaVersionModel.number)
            )
        ).one_or_none()
        if changed is None:
            return
        size_query = update(MediaSizeModel).where(MediaSizeModel.version_id == version_id)
        if not every_size:
            size_query = size_query.where(MediaSizeModel.status != READY)
        await self._session.execute(size_query.values(status=sizes))
        await self._session.execute(
            update(MediaModel)
            .where(MediaModel.id == changed.media_id, MediaModel.current_version == changed.number)
            .values(status=status)
        )
