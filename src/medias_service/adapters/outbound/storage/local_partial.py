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


class LocalPartialStorage:
    """The file's length may run past the recorded offset after a refused request; later requests overwrite
    those bytes and completion cuts the file at ``length``. With fsync on, a request's bytes have reached the disk
    when ``append`` returns, before its new offset is committed and answered."""

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
            stored = await self._storage.pour(fd, chunks, upload.offset)
        except BaseException:
            await asyncio.shield(asyncio.to_thread(os.close, fd))
            raise
        await asyncio.shield(asyncio.to_thread(self._made_durable, fd))
        return stored, upload.data

    def _made_durable(self, fd: int) -> None:
        """The fdatasync the answer waits for (little is left to write: pour handed each block to the disk), and
        the descriptor closed, in one trip to a thread."""
        try:
            if self._storage.fsync:
                os.fdatasync(fd)
        finally:
            os.close(fd)

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
