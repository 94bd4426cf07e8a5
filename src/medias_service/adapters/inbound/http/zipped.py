"""A ZIP of files streamed while it is produced (zipstream-ng), with its exact Content-Length known up front.

zipstream-ng is synchronous: the archive is iterated in anyio worker threads, and each file's bytes are pulled
from the async storage stream back on the event loop (``anyio.from_thread.run``). Files are STORED (no
compression: media are compressed already), so the length is exact and memory stays flat whatever the size.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio.from_thread
import anyio.to_thread
from litestar.response import Stream
from zipstream import ZipStream

from medias_service.adapters.inbound.http.content import disposition
from medias_service.domain.folders import FolderFile
from medias_service.ports.storage import MediaStorage

BodyWrapper = Callable[[AsyncIterator[bytes]], AsyncIterator[bytes]]


def _safe(name: str) -> str:
    cleaned = name.replace("/", "_").replace("\\", "_").strip() or "_"
    return "_" if cleaned in (".", "..") else cleaned


def archive_names(files: list[FolderFile]) -> list[str]:
    """Each file's path inside the archive; a name already taken in its folder gets " (2)", " (3)"... before
    its extension."""
    taken: set[str] = set()
    names = []
    for file in files:
        folder = "/".join(_safe(part) for part in file.path)
        stem, dot, extension = _safe(file.filename).rpartition(".")
        if not dot or not stem:
            stem, dot, extension = _safe(file.filename), "", ""
        candidate, number = f"{stem}{dot}{extension}", 1
        while (path := f"{folder}/{candidate}" if folder else candidate).casefold() in taken:
            number += 1
            candidate = f"{stem} ({number}){dot}{extension}"
        taken.add(path.casefold())
        names.append(path)
    return names


def _pulled(stream: AsyncIterator[bytes]) -> Iterator[bytes]:
    """A sync view of an async stream, for a worker thread."""
    try:
        while True:
            try:
                yield anyio.from_thread.run(stream.__anext__)  # type: ignore[arg-type]
            except StopAsyncIteration:
                return
    finally:
        aclose = getattr(stream, "aclose", None)
        if aclose is not None:
            anyio.from_thread.run(aclose)


async def _in_worker(archive: ZipStream) -> AsyncIterator[bytes]:
    chunks, done = iter(archive), object()
    while (chunk := await anyio.to_thread.run_sync(next, chunks, done)) is not done:
        yield chunk  # type: ignore[misc]


def zip_response(name: str, files: list[FolderFile], storage: MediaStorage, body: BodyWrapper) -> Stream:
    archive = ZipStream(sized=True)
    for file, path in zip(files, archive_names(files), strict=True):
        archive.add(_pulled(storage.read(file.storage_key, 0, None)), path, size=file.size)
    headers: dict[str, Any] = {
        "Content-Length": str(len(archive)),
        "Content-Disposition": disposition("attachment", f"{_safe(name)}.zip"),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "X-Accel-Buffering": "no",  # the gateway passes it on as it comes
    }
    return Stream(body(_in_worker(archive)), media_type="application/zip", headers=headers)
