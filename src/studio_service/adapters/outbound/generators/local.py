"""The platform's own generators: no network, no GPU. A storyboard frame (libvips text rendering), a title-card
video of N seconds (ffmpeg, from imageio-ffmpeg's binary), a narration track (espeak-ng, when installed), and a
no-op that only reports progress (benchmarks of the queue)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import uuid
from pathlib import Path
from typing import Any

import anyio

from studio_service.adapters.outbound.generators.cards import render_card
from studio_service.domain.jobs import ParameterRule
from studio_service.domain.projects import AssetKind
from studio_service.ports.generators import GeneratedFile, Progress


class GeneratorFailed(Exception):
    """A tool failed or timed out on this job's input."""


async def run_tool(*command: str, stdin: bytes | None = None, timeout: float) -> None:
    """Run an external tool; GeneratorFailed with its last words on a non-zero exit or after ``timeout``."""
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(timeout):
            _, err = await process.communicate(stdin)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        raise GeneratorFailed(f"{Path(command[0]).name} took longer than {timeout:.0f} s") from None
    if process.returncode != 0:
        tail = err.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise GeneratorFailed(f"{Path(command[0]).name} exited with {process.returncode}: {tail[0][:200]}")


class StoryboardGenerator:
    """``text`` → one PNG frame (image asset)."""

    rule = ParameterRule(text=True)

    async def generate(
        self, job_id: uuid.UUID, parameters: dict[str, Any], progress: Progress, workdir: Path
    ) -> list[GeneratedFile]:
        await progress(10)
        path = await anyio.to_thread.run_sync(render_card, parameters["text"], workdir / "storyboard.png")
        await progress(80)
        return [GeneratedFile(path, "storyboard.png", AssetKind.IMAGE)]


class TitleCardGenerator:
    """``text``, ``seconds`` → an H.264 MP4 of the card held for that long (video asset)."""

    rule = ParameterRule(text=True, seconds=True)

    def __init__(self, ffmpeg: str, timeout: float) -> None:
        self._ffmpeg = ffmpeg
        self._timeout = timeout

    async def generate(
        self, job_id: uuid.UUID, parameters: dict[str, Any], progress: Progress, workdir: Path
    ) -> list[GeneratedFile]:
        await progress(10)
        card = await anyio.to_thread.run_sync(render_card, parameters["text"], workdir / "card.png")
        await progress(40)
        video = workdir / "title-card.mp4"
        await run_tool(
            self._ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-loop", "1", "-i", str(card),
            "-t", str(parameters["seconds"]), "-r", "24", "-c:v", "libx264", "-preset", "veryfast",
            "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(video),
            timeout=self._timeout,
        )  # fmt: skip
        await progress(80)
        return [GeneratedFile(video, "title-card.mp4", AssetKind.VIDEO)]


class NarrationGenerator:
    """``text`` (and an espeak-ng ``voice``, default en) → a WAV of it spoken (audio asset)."""

    rule = ParameterRule(text=True, voice=True)

    def __init__(self, espeak: str, timeout: float) -> None:
        self._espeak = espeak
        self._timeout = timeout

    @staticmethod
    def find() -> str | None:
        return shutil.which("espeak-ng")

    async def generate(
        self, job_id: uuid.UUID, parameters: dict[str, Any], progress: Progress, workdir: Path
    ) -> list[GeneratedFile]:
        await progress(10)
        audio = workdir / "narration.wav"
        voice = parameters.get("voice", "en")
        text = parameters["text"].encode()
        await run_tool(self._espeak, "-v", voice, "-w", str(audio), "--stdin", stdin=text, timeout=self._timeout)
        await progress(80)
        return [GeneratedFile(audio, "narration.wav", AssetKind.AUDIO)]


class NoopGenerator:
    """Reports progress in ten steps over ``seconds`` (default 0) and makes nothing: for benchmarks of the queue,
    and to watch cancel and deadlines at work."""

    rule = ParameterRule(text=False, seconds=True, min_seconds=0, default_seconds=0)

    async def generate(
        self, job_id: uuid.UUID, parameters: dict[str, Any], progress: Progress, workdir: Path
    ) -> list[GeneratedFile]:
        pause = parameters.get("seconds", 0) / 10
        for step in range(10):
            await progress(step * 10)
            if pause:
                await asyncio.sleep(pause)
        return []
