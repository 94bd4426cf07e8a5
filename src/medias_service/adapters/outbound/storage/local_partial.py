"""PartialStorage on the local disk: an upload's bytes go to one file in ``<root>/uploads/``, written in place at
each request's offset, and renamed to its final key when complete (no copy)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterable
from pathlib import Path

from medias_service.adapters.outbound.storage.local import LocalMediaStorage
from medias_service.domain.resumable import PartialData, ResumableUpload

# fdatasyncs in the background while a request's bytes arrive (never holding up the writes), so that the one its
# answer waits for (``sync``) has at most about this much left to flush: 5.2 -> 2.3-2.8 ms for 8 MiB PATCHes here.
SYNC_EVERY = 2 * 1024 * 1024


class LocalPartialStorage:
    """The file's length may run past the recorded offset after a refused request; later requests overwrite
    those bytes and completion cuts the file at ``length``. With fsync on, a request's bytes reach the disk
    (``sync``) before its new offset is committed and answered."""

    def __init__(self, storage: LocalMediaStorage) -> None:
        self._storage = storage
        self._folder = storage.root / "uploads"
        self._folder.mkdir(parents=True, exist_ok=True)

    def _path(self, upload: ResumableUpload) -> Path:
        return self._folder / upload.id.hex

    async def begin(self, upload: ResumableUpload) -> PartialData:
        path = self._path(upload)
        await asyncio.to_thread(lambda: os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)))
        return PartialData()

    async def append(self, upload: ResumableUpload, chunks: AsyncIterable[bytes]) -> tuple[int, PartialData]:
        fd = await asyncio.to_thread(os.open, self._path(upload), os.O_WRONLY)
        try:
            stored = await self._storage.pour(fd, chunks, upload.offset, SYNC_EVERY)
        finally:
            await asyncio.shield(asyncio.to_thread(os.close, fd))
        return stored, upload.data

    async def sync(self, upload: ResumableUpload) -> None:
        """One fdatasync for the request's bytes (Linux syncs the file's data whatever descriptor asks)."""
        if not self._storage.fsync:
            return

        def sync() -> None:
            fd = os.open(self._path(upload), os.O_RDONLY)
            try:
                os.fdatasync(fd)
            finally:
                os.close(fd)

        await asyncio.to_thread(sync)

    async def recorded(self, upload: ResumableUpload, previous_offset: int) -> None:
        return None  # the file holds every state's bytes

    async def complete(self, upload: ResumableUpload) -> None:
        source, final = self._path(upload), self._storage.path(upload.storage_key)

        def finish() -> None:
            with open(source, "r+b") as file:
                file.truncate(upload.length)
                if self._storage.fsync:
                    os.fsync(file.fileno())
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, final)

        await asyncio.to_thread(finish)

    async def discard(self, upload: ResumableUpload) -> None:
        path = self._path(upload)

        def remove() -> None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

        await asyncio.to_thread(remove)
