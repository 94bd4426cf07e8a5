"""Helpers for processing tests: sample media made on the spot, a RabbitMQ probe, and the worker as a real
process (the TCP proxy that cuts the broker off is tests.support.proxy)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import aio_pika
import imageio_ffmpeg
import pillow_heif
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pyvips

from qhitz_shared.amqp.parking import ParkingLot
from qhitz_shared.amqp.topology import Topology
from tests.support.servers import ROOT
from tests.support.waiting import eventually as eventually  # the suite's one poller, re-exported

AMQP_URL = os.environ.get("QHITZ_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672/")
T = TypeVar("T")


# --- samples ------------------------------------------------------------------------------------------------------


def image_bytes(
    width: int, height: int, *, suffix: str = ".jpg", seed: int = 0, orientation: int | None = None
) -> bytes:
    """A picture with some structure (a gradient and a disc), distinct per ``seed``, EXIF included for JPEG."""
    gradient = pyvips.Image.xyz(width, height)[0] * (255 / max(width, 1))
    image = gradient.bandjoin([gradient * 0 + (seed * 37) % 256, 255 - gradient]).cast("uchar")
    image = image.draw_circle([255, 255, 0], width // 2, height // 2, min(width, height) // 4, fill=True)
    if orientation is not None:
        image = image.copy()
        image.set_type(pyvips.GValue.gint_type, "orientation", orientation)
        image.set_type(pyvips.GValue.gstr_type, "exif-ifd0-Artist", "secret photographer")
    return image.write_to_buffer(suffix, **({"Q": 85} if suffix == ".jpg" else {}))


def avif_bytes(width: int, height: int) -> bytes:
    """An AVIF photo (HEIF with AV1), written by libvips."""
    return pyvips.Image.new_from_buffer(image_bytes(width, height, suffix=".png"), "").heifsave_buffer(
        compression="av1", Q=50
    )


def heic_bytes(width: int, height: int) -> bytes:
    """A HEIC photo (HEIF with HEVC, as phones write them), written by pillow-heif's libheif and x265."""
    image = pyvips.Image.new_from_buffer(image_bytes(width, height, suffix=".png"), "")
    heif = pillow_heif.from_bytes("RGB", (width, height), image.write_to_memory())
    buffer = io.BytesIO()
    heif.save(buffer, quality=50)
    return buffer.getvalue()


def ffmpeg(*args: str) -> None:
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args],
        check=True,
        capture_output=True,
    )


def video_bytes(tmp: Path, *, width: int = 640, height: int = 360, seconds: float = 4.0) -> bytes:
    out = tmp / "sample.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", f"testsrc=size={width}x{height}:rate=25:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(out),
    )  # fmt: skip
    return out.read_bytes()


def audio_bytes(tmp: Path, *, seconds: float = 3.0, kbps: int = 128, suffix: str = ".mp3") -> bytes:
    """MP3 (or, with ``suffix=".m4a"``, AAC in an MP4 audio container)."""
    out = tmp / f"sample{suffix}"
    codec = "libmp3lame" if suffix == ".mp3" else "aac"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=440:duration={seconds}",
        "-c:a",
        codec,
        "-b:a",
        f"{kbps}k",
        str(out),
    )
    return out.read_bytes()


def pdf_document(pages: int = 3, width: float = 612, height: float = 792) -> bytes:
    """A real PDF with a filled rectangle on each page, written by pdfium."""
    document = pdfium.PdfDocument.new()
    for number in range(pages):
        page = document.new_page(width, height)
        shape = pdfium_raw.FPDFPageObj_CreateNewRect(50, 50 + number * 10, width / 2, height / 2)
        pdfium_raw.FPDFPageObj_SetFillColor(shape, 200, 30, 30, 255)
        pdfium_raw.FPDFPath_SetDrawMode(shape, pdfium_raw.FPDF_FILLMODE_ALTERNATE, False)
        pdfium_raw.FPDFPage_InsertObject(page.raw, shape)
        pdfium_raw.FPDFPage_GenerateContent(page.raw)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- waiting ------------------------------------------------------------------------------------------------------


# --- RabbitMQ -----------------------------------------------------------------------------------------------------


class BrokerProbe:
    """Looks at and cleans up one test run's queues and exchanges (passive declarations only)."""

    def __init__(self, topology: Topology, url: str = AMQP_URL) -> None:
        self.topology = topology
        self._url = url

    async def _channel(self):
        connection = await aio_pika.connect(self._url)
        return connection, await connection.channel()

    async def queue(self, name: str) -> tuple[int, int]:
        """(ready messages, consumers), or (-1, 0) when the queue does not exist."""
        connection, channel = await self._channel()
        try:
            declared = await channel.declare_queue(name, passive=True)
            return int(declared.declaration_result.message_count), int(declared.declaration_result.consumer_count)
        except aio_pika.exceptions.ChannelClosed:
            return -1, 0
        finally:
            await connection.close()

    async def publish(self, body: bytes, routing_key: str, **properties: Any) -> None:
        connection, channel = await self._channel()
        try:
            exchange = await channel.get_exchange(self.topology.events.name)
            message = aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT, **properties)
            await exchange.publish(message, routing_key=routing_key)
        finally:
            await connection.close()

    async def parked(self) -> list[dict[str, Any]]:
        """The parking queue's messages as the operator's command lists them (they stay parked)."""
        async with ParkingLot(self._url, self.topology) as lot:
            return [dataclasses.asdict(message) for message in await lot.inspect(500)]

    async def purge_parked(self) -> None:
        async with ParkingLot(self._url, self.topology) as lot:
            await lot.purge()

    async def delete_all(self) -> None:
        connection, channel = await self._channel()
        try:
            for name in self.topology.queue_names():
                await channel.queue_delete(name)
            for name in self.topology.exchange_names():
                await channel.exchange_delete(name)
        finally:
            await connection.close()


# --- the worker ---------------------------------------------------------------------------------------------------


class Worker:
    """``python -m medias_service.main.worker`` with ``env`` on top of ours; its output goes to ``log``."""

    def __init__(self, env: Mapping[str, str], log: Path) -> None:
        self.log = log
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "medias_service.main.worker"],
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]

    async def consuming(self, probe: BrokerProbe, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while (await probe.queue(probe.topology.processing.name))[1] < 1:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited with {self.process.returncode}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the worker did not start consuming:\n{self.output()}")
            await asyncio.sleep(0.1)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@contextlib.contextmanager
def worker_process(env: Mapping[str, str], log: Path) -> Iterator[Worker]:
    worker = Worker(env, log)
    try:
        yield worker
    finally:
        worker.stop()
