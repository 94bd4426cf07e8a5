"""Video and audio with the ffmpeg binary bundled by imageio-ffmpeg (no ffprobe ships with it, so the stream
summary ``ffmpeg -i`` prints is parsed), and a poster frame extracted as PNG."""

from __future__ import annotations

import asyncio
import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from medias_service.domain.processing import UnprocessableMedia

_DURATION = re.compile(r"Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
_TOTAL_BITRATE = re.compile(r"Duration:.*?bitrate:\s*(\d+)\s*kb/s")
_STREAM = re.compile(r"^\s*Stream #\d+:\d+.*?: (Video|Audio): ([A-Za-z0-9_]+)(.*)$", re.MULTILINE)
_DIMENSIONS = re.compile(r",\s*(\d{1,5})x(\d{1,5})[\s,\[]")
_STREAM_BITRATE = re.compile(r"(\d+)\s*kb/s")
_ROTATION = re.compile(r"rotation of (-?\d+(?:\.\d+)?) degrees")


@dataclass(frozen=True, slots=True)
class StreamSummary:
    duration_seconds: float | None = None
    bitrate: int | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    width: int | None = None
    height: int | None = None
    """As displayed: swapped when the stream says it is rotated by 90 degrees."""


def parse_summary(text: str) -> StreamSummary:
    """What ``ffmpeg -i`` says about its first input."""
    duration = None
    if match := _DURATION.search(text):
        hours, minutes, seconds = match.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    bitrate = int(match.group(1)) * 1000 if (match := _TOTAL_BITRATE.search(text)) else None
    video = audio = None
    width = height = None
    for kind, codec, rest in _STREAM.findall(text):
        if kind == "Video" and video is None and "attached pic" not in rest:
            video = codec
            if dimensions := _DIMENSIONS.search(rest + " "):
                width, height = int(dimensions.group(1)), int(dimensions.group(2))
        elif kind == "Audio" and audio is None:
            audio = codec
            if bitrate is None and (rate := _STREAM_BITRATE.search(rest)):
                bitrate = int(rate.group(1)) * 1000
    if (rotation := _ROTATION.search(text)) and width and height and round(abs(float(rotation.group(1)))) % 180 == 90:
        width, height = height, width
    return StreamSummary(duration, bitrate, video, audio, width, height)


class Ffmpeg:
    def __init__(self, binary: str, timeout_seconds: float = 300.0) -> None:
        self._binary = binary
        self._timeout = timeout_seconds

    async def _run(self, *args: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            self._binary,
            "-hide_banner",
            "-nostdin",
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            async with asyncio.timeout(self._timeout):
                _, err = await process.communicate()
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise
        return process.returncode or 0, err.decode("utf-8", "replace")

    async def summary(self, path: Path) -> StreamSummary:
        _, text = await self._run("-i", str(path))  # exits 1: no output file, which is the point
        found = parse_summary(text)
        if found.video_codec is None and found.audio_codec is None:
            last = text.strip().splitlines()[-1:] or ["no audio or video stream"]
            raise UnprocessableMedia(f"No audio or video stream could be read ({last[0][:200]})")
        return found

    async def frame(self, path: Path, at_seconds: float, out: Path) -> bool:
        """One frame at ``at_seconds`` (or the first one if that fails) as PNG; False when there is none."""
        for position in dict.fromkeys((round(at_seconds, 3), 0.0)):
            code, _ = await self._run(
                "-loglevel", "error", "-ss", f"{position}", "-i", str(path),
                "-frames:v", "1", "-an", "-sn", "-f", "image2", "-c:v", "png", "-y", str(out),
            )  # fmt: skip
            if code == 0 and await asyncio.to_thread(_non_empty, out):
                return True
        return False


def _non_empty(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0
