"""What killed processes leave behind, removed at start and periodically: upload temp files, job folders and
quota reservations past their expiry."""

from __future__ import annotations

import asyncio

import structlog
from dishka import AsyncContainer

from medias_service.main.pipeline_settings import ProcessingSettings
from medias_service.main.settings import StorageSettings
from medias_service.ports.pipeline import MediaProcessor
from medias_service.ports.storage import MediaStorage
from medias_service.services.quota import UploadQuota
from qhitz_shared.background import BackgroundLoop

log = structlog.get_logger(__name__)


class LeftoverSweeper(BackgroundLoop):
    """Sweeps once at start, then every ``sweep_interval_seconds`` (0: only at start). ``jobs`` says whether this
    process runs processing jobs (the worker, or the HTTP process without a broker): only then are job folders
    its business. Several processes may sweep the same folders; each removes only what no running write or job
    holds."""

    task_name = "leftover-sweeper"

    def __init__(
        self, container: AsyncContainer, storage: StorageSettings, processing: ProcessingSettings, *, jobs: bool
    ) -> None:
        self._container = container
        self._storage = storage
        self._processing = processing
        self._jobs = jobs

    async def sweep_once(self) -> tuple[int, int]:
        """(upload temp files, job folders) removed."""
        storage = await self._container.get(MediaStorage)
        uploads = await storage.sweep_incomplete(self._storage.stale_upload_seconds)
        folders = 0
        if self._jobs:
            processor = await self._container.get(MediaProcessor)
            folders = await processor.sweep_leftovers(self._processing.stale_job_seconds)
        async with self._container() as request:
            reservations = await (await request.get(UploadQuota)).expire()
        if uploads or folders or reservations:
            log.info("leftovers_swept", upload_temp_files=uploads, job_folders=folders, quota_reservations=reservations)
        return uploads, folders

    async def _run(self) -> None:
        while True:
            try:
                await self.sweep_once()
            except Exception as exc:  # a full or missing disk must not stop the service; the next round retries
                log.warning("leftover_sweep_failed", error=repr(exc))
            if self._storage.sweep_interval_seconds <= 0:
                return
            await asyncio.sleep(self._storage.sweep_interval_seconds)
