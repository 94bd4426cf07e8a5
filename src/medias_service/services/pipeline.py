"""The processing job of one version: read the original, render the missing sizes, record the outcome."""

from __future__ import annotations

import enum
import uuid
from collections.abc import AsyncIterator

import structlog

from medias_service.domain.events import MediaFailed, MediaProcessed
from medias_service.domain.media import ProcessingStatus
from medias_service.domain.processing import UnprocessableMedia, failure_reason, planned_sizes
from medias_service.ports.pipeline import MediaProcessor, ProcessingJournal
from medias_service.ports.storage import MediaStorage
from medias_service.services.processing import ProcessingService
from qhitz_shared.ports import UnitOfWork

log = structlog.get_logger(__name__)


class JobOutcome(enum.StrEnum):
    READY = "ready"
    FAILED = "failed"
    SKIPPED = "skipped"  # gone, or already ready (a duplicate delivery)


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


class VersionPipeline:
    """Idempotent: a ready version is skipped, and a size already stored (by an earlier, interrupted run) is not
    rendered again, so a message delivered twice yields each size once. Content that cannot be processed fails at
    once; any other error propagates for the caller's retry policy, which ends in ``give_up``."""

    def __init__(
        self,
        journal: ProcessingJournal,
        processor: MediaProcessor,
        storage: MediaStorage,
        sizes: ProcessingService,
        uow: UnitOfWork,
    ) -> None:
        self._journal = journal
        self._processor = processor
        self._storage = storage
        self._sizes = sizes
        self._uow = uow

    async def run(self, version_id: uuid.UUID) -> JobOutcome:
        started = await self._journal.start(version_id)
        await self._uow.commit()
        if started is None:
            return JobOutcome.SKIPPED
        version, owner_id = started
        done = {size.name for size in version.sizes if size.status is ProcessingStatus.READY and size.blob_id}
        missing = [spec for spec in planned_sizes(version.content_type) if spec.name not in done]
        try:
            result = await self._processor.process(
                self._storage.read(version.storage_key), version.content_type, missing
            )
        except UnprocessableMedia as exc:
            await self.give_up(version_id, str(exc), attempts=1)
            return JobOutcome.FAILED
        for rendition in result.renditions:
            await self._sizes.add_size(
                version_id,
                rendition.name,
                _once(rendition.data),
                content_type=rendition.content_type,
                width=rendition.width,
                height=rendition.height,
            )
        await self._journal.finish(version, result.info)
        names = tuple(sorted(done | {rendition.name for rendition in result.renditions}))
        await self._journal.record(MediaProcessed(version.media_id, version.id, owner_id, names))
        await self._uow.commit()
        log.info("version_processed", media_id=str(version.media_id), version_id=str(version_id), sizes=names)
        return JobOutcome.READY

    async def postpone(self, version_id: uuid.UUID) -> None:
        """Between attempts: pending again (a ready version is left alone)."""
        await self._uow.rollback()
        await self._journal.postpone(version_id)
        await self._uow.commit()

    async def give_up(self, version_id: uuid.UUID, error: str, *, attempts: int) -> None:
        """The version failed for good, with a readable reason, and media.failed is recorded."""
        await self._uow.rollback()
        reason = error if attempts == 1 else failure_reason(attempts, error)
        failed = await self._journal.fail(version_id, reason)
        if failed is not None:
            media_id, owner_id = failed
            await self._journal.record(MediaFailed(media_id, version_id, owner_id, reason))
        await self._uow.commit()
        log.warning("version_failed", version_id=str(version_id), reason=reason)
