"""The periodic trash purge run inside the service: expired trash, then storage leftovers."""

from __future__ import annotations

import structlog
from dishka import AsyncContainer

from medias_service.ports.storage import MediaStorage
from medias_service.services.trash import TrashService
from qhitz_shared.background import PeriodicLoop

log = structlog.get_logger(__name__)


async def purge_once(container: AsyncContainer) -> int:
    """One pass: media trashed past the retention (blobs included), queued deletions, stale temp files."""
    async with container() as request:
        purged = await (await request.get(TrashService)).purge_expired()
    swept = await (await container.get(MediaStorage)).sweep_incomplete()
    log.info("trash_purged", media=purged, stale_uploads=swept)
    return purged


class TrashPurger(PeriodicLoop):
    """Every ``interval`` seconds (first run one interval after start). With several replicas each purges; row
    locks make them skip or wait for each other, never purge twice."""

    task_name = "trash-purge"

    def __init__(self, container: AsyncContainer, interval: float) -> None:
        super().__init__(interval, wait_first=True)
        self._container = container

    async def run_once(self) -> None:
        await purge_once(self._container)
