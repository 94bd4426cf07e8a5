"""Reprocessing: run a media's processing again (after a failure, or to redo its sizes)."""

from __future__ import annotations

import uuid

from medias_service.domain.events import ReprocessRequested
from medias_service.domain.media import Media
from medias_service.domain.permissions import MEDIA_WRITE, MEDIA_WRITE_ANY, can_write
from medias_service.ports.pipeline import ProcessingJournal
from medias_service.ports.repositories import MediaRepository
from medias_service.services.access import require, user_of, visible_media
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal


class ReprocessService:
    def __init__(self, media: MediaRepository, journal: ProcessingJournal, uow: UnitOfWork) -> None:
        self._media = media
        self._journal = journal
        self._uow = uow

    async def reprocess(self, actor: Principal, media_id: uuid.UUID) -> Media:
        """The current version and its sizes go back to pending and a processing request is recorded, whatever
        their status: a job still running meanwhile is harmless (jobs are idempotent). Owner with media:write, or
        media:write:any."""
        media = await visible_media(self._media, user_of(actor), media_id, lock=True)
        require(can_write(actor, media), MEDIA_WRITE_ANY if media.owner_id != actor.user_id else MEDIA_WRITE)
        version = media.current_version
        assert version is not None  # a media always has one
        await self._journal.restart(version)
        await self._journal.record(ReprocessRequested(media_id=media.id, version_id=version.id))
        await self._uow.commit()
        return await visible_media(self._media, actor, media_id)
