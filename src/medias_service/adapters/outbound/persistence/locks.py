"""The one lock order for a media's rows, on every path (HTTP use cases, the worker's job steps, trash, purge):
the media row first, then the version row, then size rows. Two transactions on the same media then queue on its
row instead of each holding what the other waits for (PostgreSQL answers that with "deadlock detected")."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from medias_service.adapters.outbound.persistence.models import MediaModel, MediaVersionModel


async def lock_media_of_version(session: AsyncSession, version_id: uuid.UUID) -> bool:
    """Locks the media row of ``version_id``, then the version row; False when the version does not exist. The
    HTTP use cases lock the media row first through MediaRepository.get(lock=True), the same order."""
    media_id = await session.scalar(select(MediaVersionModel.media_id).where(MediaVersionModel.id == version_id))
    if media_id is None:
        return False
    await session.execute(select(MediaModel.id).where(MediaModel.id == media_id).with_for_update())
    locked = await session.scalar(
        select(MediaVersionModel.id).where(MediaVersionModel.id == version_id).with_for_update()
    )
    return locked is not None
