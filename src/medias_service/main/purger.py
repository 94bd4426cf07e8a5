"""The periodic trash purge run inside the service: expired trash, then storage leftovers."""

from __future__ import annotations

import asyncio

import structlog
from dishka import AsyncContainer

from medias_service.ports.storage import MediaStorage
from medias_service.services.trash import TrashService
from qhitz_shared.background import BackgroundLoop

log = structlog.get_logger(__name__)


async def purge_once(container: AsyncContainer) -> int:
    """One pass: media trashed past the retention (blobs included), queued deletions, stale temp files."""
    async with container() as request:
        purged = await (await request.get(TrashService)).purge_expired()
    swept = await (await container.get(MediaStorage)).sweep_incomplete()
    log.info("trash_purged", media=purged, stale_uploads=swept)
    return purged


class TrashPurger(BackgroundLoop):
    """Every ``interval`` seconds (first run one interval after start). With several replicas each purges; row
    locks make them skip or wait for each other, never purge twice."""

    task_name = "trash-purger"

    def __init__(self, container: AsyncContainer, interval: float) -> None:
        self._container = container
        self._interval = interval

    async def start(self) -> None:
        if self._interval > 0:
            self._start_loop()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await purge_once(self._container)
            except Exception:  # the next pass retries; the service keeps serving
                log.exception("trash_purge_failed")
