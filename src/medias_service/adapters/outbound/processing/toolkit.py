"""LocalMediaProcessor: the MediaProcessor port over libvips, libheif, ffmpeg and pdfium, on a temporary copy."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pyvips

from medias_service.adapters.outbound.processing.ffmpeg import Ffmpeg
from medias_service.adapters.outbound.processing.heif import render_heif
from medias_service.adapters.outbound.processing.images import (
    check_pixels,
    release_memory,
    render_file,
    render_image,
)
from medias_service.adapters.outbound.processing.pdf import render_pdf
from medias_service.adapters.outbound.processing.workdirs import job_folder, make_job_folder, sweep_job_folders
from medias_service.domain.processing import HEIF_TYPES, PDF, RASTER_TYPES, MediaInfo, Processed, SizeSpec

MIB = 1024 * 1024
POSTER_AT = 0.10  # a poster frame about 10% into the video


class LocalMediaProcessor:
    """The original is copied to a private temporary folder (the tools want a seekable file), processed there, and
    the folder removed. Disk and image work run in threads, ffmpeg as a child process: never on the event loop."""

    def __init__(self, *, ffmpeg: Ffmpeg, pixel_limit: int, quality: int = 80, work_dir: str | None = None) -> None:
        self._ffmpeg = ffmpeg
        self._pixel_limit = pixel_limit
        self._quality = quality
        self._work_dir = work_dir or None
        self._live: set[Path] = set()  # the folders of the jobs running in this process

    async def process(self, content: AsyncIterator[bytes], content_type: str, sizes: Sequence[SizeSpec]) -> Processed:
        folder = job_folder(self._work_dir)
        self._live.add(folder)
        try:
            await asyncio.to_thread(make_job_folder, folder)
            source = folder / "original"
            await _spool(content, source)
            info, renditions = await self._dispatch(source, content_type, sizes)
            return Processed(info, renditions)
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)
            self._live.discard(folder)
            await asyncio.to_thread(release_memory)

    async def sweep_leftovers(self, older_than_seconds: float) -> int:
        return await asyncio.to_thread(sweep_job_folders, self._work_dir, set(self._live), older_than_seconds)

    async def _dispatch(self, source: Path, content_type: str, sizes: Sequence[SizeSpec]):
        if content_type in HEIF_TYPES:
            return await asyncio.to_thread(
                render_heif, str(source), sizes, pixel_limit=self._pixel_limit, quality=self._quality
            )
        if content_type in RASTER_TYPES:
            return await asyncio.to_thread(
                render_file, str(source), sizes, pixel_limit=self._pixel_limit, quality=self._quality
            )
        if content_type == PDF:
            return await asyncio.to_thread(render_pdf, str(source), sizes, quality=self._quality)
        if content_type.startswith(("video/", "audio/")):
            return await self._audiovisual(source, sizes)
        return MediaInfo(), []

    async def _audiovisual(self, source: Path, sizes: Sequence[SizeSpec]):
        summary = await self._ffmpeg.summary(source)
        info = MediaInfo(
            width=summary.width,
            height=summary.height,
            duration_seconds=summary.duration_seconds,
            bitrate=summary.bitrate,
            video_codec=summary.video_codec,
            audio_codec=summary.audio_codec,
        )
        if summary.video_codec is None or not sizes:
            return info, []
        if summary.width and summary.height:
            check_pixels(summary.width, summary.height, self._pixel_limit)  # before ffmpeg decodes a frame
        poster = source.with_name("poster.png")
        if not await self._ffmpeg.frame(source, (summary.duration_seconds or 0) * POSTER_AT, poster):
            return info, []
        return info, await asyncio.to_thread(self._render_poster, poster, sizes)

    def _render_poster(self, poster: Path, sizes: Sequence[SizeSpec]):
        frame = pyvips.Image.new_from_file(str(poster))
        return render_image(frame, sizes, quality=self._quality)


async def _spool(content: AsyncIterator[bytes], path: Path) -> None:
    """Write the stream to ``path`` in blocks of about 1 MiB, each in a thread."""
    file = await asyncio.to_thread(path.open, "wb")
    try:
        pending: list[bytes] = []
        size = 0
        async for chunk in content:
            pending.append(chunk)
            size += len(chunk)
            if size >= MIB:
                await asyncio.to_thread(file.writelines, pending)
                pending, size = [], 0
        await asyncio.to_thread(file.writelines, pending)
    finally:
        await asyncio.to_thread(file.close)
