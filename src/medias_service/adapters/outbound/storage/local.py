"""MediaStorage on the local filesystem: objects are files under a root folder, written through a temp file."""

from __future__ import annotations

import asyncio
import os
import re
import time
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from pathlib import Path
from typing import BinaryIO

_KEY = re.compile(r"^[a-z0-9]+(/[a-z0-9]+)*$")
MIB = 1024 * 1024


class LocalMediaStorage:
    """Writes go to ``tmp/`` and are renamed into place only once complete (and fsynced, by default), so a
    reader never sees a partial file and a failed upload leaves nothing. Disk work runs in threads, in blocks of
    ``block_bytes``: memory stays flat whatever the file size."""

    def __init__(self, root: str | Path, *, fsync: bool = True, block_bytes: int = MIB) -> None:
        self.root = Path(root).resolve()
        self._tmp = self.root / "tmp"
        self._fsync = fsync
        self._block = block_bytes
        self._tmp.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        if not _KEY.match(key):  # keys are ours, but a path is only ever built from a checked one
            raise ValueError(f"invalid storage key {key!r}")
        return self.root / key

    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> None:
        final = self.path(key)
        temp = self._tmp / f"{uuid.uuid4().hex}.part"
        file = await asyncio.to_thread(temp.open, "wb")
        try:
            pending: list[bytes] = []
            pending_bytes = 0
            async for chunk in chunks:
                pending.append(chunk)
                pending_bytes += len(chunk)
                if pending_bytes >= self._block:
                    await asyncio.to_thread(file.writelines, pending)
                    pending, pending_bytes = [], 0
            await asyncio.to_thread(self._complete, file, pending, temp, final)
        except BaseException:
            await asyncio.shield(asyncio.to_thread(self._remove, file, temp))
            raise

    def _complete(self, file: BinaryIO, pending: list[bytes], temp: Path, final: Path) -> None:
        file.writelines(pending)
        file.flush()
        if self._fsync:
            os.fsync(file.fileno())
        file.close()
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, final)

    @staticmethod
    def _remove(file: BinaryIO, temp: Path) -> None:
        file.close()
        temp.unlink(missing_ok=True)

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        file = await asyncio.to_thread(self.path(key).open, "rb", buffering=0)
        try:
            position = start
            while end is None or position < end:
                want = self._block if end is None else min(self._block, end - position)
                data = await asyncio.to_thread(os.pread, file.fileno(), want, position)
                if not data:
                    break
                position += len(data)
                yield data
        finally:
            file.close()

    async def delete(self, keys: Sequence[str]) -> None:
        paths = [self.path(key) for key in keys]
        await asyncio.to_thread(lambda: [path.unlink(missing_ok=True) for path in paths])

    async def ping(self) -> None:
        if not os.access(self.root, os.W_OK):
            raise OSError(f"{self.root} is not writable")

    async def sweep_incomplete(self, older_than_seconds: float = 86400) -> int:
        """Remove temp files a crashed process left behind."""

        def sweep() -> int:
            cutoff = time.time() - older_than_seconds
            stale = [path for path in self._tmp.glob("*.part") if path.stat().st_mtime < cutoff]
            for path in stale:
                path.unlink(missing_ok=True)
            return len(stale)

        return await asyncio.to_thread(sweep)
