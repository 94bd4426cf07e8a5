"""The periodic trash purge run inside the service: expired trash, then storage leftovers."""

from __future__ import annotations

import structlog
from dishka import AsyncContainer

from medias_service.ports.storage import MediaStorage
from medias_service.services.trash import TrashService
from qhitz_shared.background import Periodic

log = structlog.get_logger(__name__)


async def purge_once(container: AsyncContainer) -> int:
    """One pass: media trashed past the retention (blobs included), queued deletions, stale temp files."""
    async with container() as request:
        purged = await (await request.get(TrashService)).purge_expired()
    swept = await (await container.get(MediaStorage)).sweep_incomplete()
    log.info("trash_purged", media=purged, stale_uploads=swept)
    return purged


def trash_purger(container: AsyncContainer, interval: float) -> Periodic:
    """Every ``interval`` seconds (first run one interval after start). With several replicas each purges; row
    locks make them skip or wait for each other, never purge twice."""
    return Periodic("trash-purger", interval, lambda: purge_once(container), "trash_purge_failed")
