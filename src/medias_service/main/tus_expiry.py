"""The periodic removal of expired resumable uploads, with their partial data."""

from __future__ import annotations

import structlog
from dishka import AsyncContainer

from medias_service.services.resumable import ResumableUploadService
from qhitz_shared.background import Periodic

log = structlog.get_logger(__name__)


async def expire_once(container: AsyncContainer, batch: int = 100) -> int:
    """Removes expired uploads in batches until none is left (or only held ones); returns how many."""
    total = 0
    while True:
        async with container() as request:
            removed = await (await request.get(ResumableUploadService)).expire(batch)
        total += removed
        if removed < batch:
            break
    if total:
        log.info("resumable_uploads_expired", uploads=total)
    return total


def expired_uploads_sweeper(container: AsyncContainer, interval: float) -> Periodic:
    """Every ``interval`` seconds (0: off). Several replicas may sweep at once: the lease each takes on an upload
    lets only one remove it."""
    return Periodic("expired-uploads-sweeper", interval, lambda: expire_once(container), "resumable_expiry_failed")
