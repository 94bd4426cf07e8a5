"""The periodic removal of expired resumable uploads, with their partial data."""

from __future__ import annotations

import asyncio

import structlog
from dishka import AsyncContainer

from medias_service.services.resumable import ResumableUploadService
from qhitz_shared.background import BackgroundLoop

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


class ExpiredUploadsSweeper(BackgroundLoop):
    """Every ``interval`` seconds (0: off). Several replicas may sweep at once: the lease each takes on an upload
    lets only one remove it."""

    task_name = "expired-uploads-sweeper"

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
                await expire_once(self._container)
            except Exception as exc:  # the next round retries; the service keeps serving
                log.warning("resumable_expiry_failed", error=repr(exc))
