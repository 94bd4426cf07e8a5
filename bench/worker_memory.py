"""Benchmark (not a test): the media worker's peak resident memory while it processes a 25-megapixel JPEG.

    uv run python bench/worker_memory.py [--images 3]

Starts a throw-away PostgreSQL database (like the tests) and the real worker process
(python -m medias_service.main.worker) on RabbitMQ at 127.0.0.1:5672 under a unique prefix (deleted afterwards).
Each image (6144 x 4096, photo-like, about 10 MB) is uploaded through the real UploadService (the HTTP layer and
the owner's limits are left out), relayed from the outbox by the worker itself and processed into the four
sizes. Measured from /proc: the worker's VmHWM (peak RSS since start) once idle, then after each job.
Target: peak RSS under 200 MB. Results go to bench/results/worker_memory.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dishka import Provider, Scope, provide  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from medias_service.domain.library import Limits, UploadMetadata  # noqa: E402
from medias_service.main.app import make_container  # noqa: E402
from medias_service.main.processing import topology_of  # noqa: E402
from medias_service.main.settings import MediasSettings  # noqa: E402
from medias_service.ports.directory import OwnerLimits  # noqa: E402
from medias_service.services.uploads import UploadService  # noqa: E402
from qhitz_shared.principal import Principal  # noqa: E402
from tests.medias_service.processing.support import BrokerProbe, Worker  # noqa: E402
from tests.support import databases  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from media_sizes_cpu import photo_like  # noqa: E402

MIB = 1024 * 1024


class GenerousLimits:
    async def of(self, owner_id: uuid.UUID) -> Limits:
        return Limits(max_upload_bytes=1024 * MIB, storage_quota_bytes=100 * 1024 * MIB)


class LimitsProvider(Provider):
    @provide(scope=Scope.APP)
    def limits(self) -> OwnerLimits:
        return GenerousLimits()


class BytesSource:
    """An UploadSource over bytes in memory."""

    def __init__(self, data: bytes, filename: str) -> None:
        self._data = data
        self.filename = filename
        self.declared_type = "image/jpeg"
        self.body_length = len(data)

    async def start(self) -> None:
        return None

    async def chunks(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self._data), MIB):
            yield self._data[start : start + MIB]

    async def finish(self) -> UploadMetadata:
        return UploadMetadata()


def memory_kib(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            fields[name] = int(value.split()[0])
    return fields


async def run(env: dict[str, str], images: int, workdir: Path) -> dict:
    settings = MediasSettings.from_env(env)
    probe = BrokerProbe(topology_of(settings.amqp, settings.processing))
    worker = Worker(env, workdir / "worker.log")
    container = make_container(settings, LimitsProvider())
    try:
        await worker.consuming(probe)
        await asyncio.sleep(2)
        idle = memory_kib(worker.process.pid)
        owner = uuid.uuid4()
        actor = Principal(subject=str(owner), permissions=frozenset({"media:write", "media:read"}))
        runs = []
        for number in range(images):
            data = photo_like(6144, 4096).draw_rect([number * 40 % 256] * 3, 0, 0, 64, 64, fill=True)
            payload = data.write_to_buffer(".jpg", Q=90)
            async with container() as request:
                media = await (await request.get(UploadService)).upload_media(
                    actor, BytesSource(payload, f"photo-{number}.jpg")
                )
            started = time.monotonic()
            while True:
                async with container() as request:
                    session = await request.get(AsyncSession)
                    status = await session.scalar(text("SELECT status FROM media WHERE id = :id"), {"id": media.id})
                if status in ("ready", "failed"):
                    break
                if worker.process.poll() is not None or time.monotonic() - started > 120:
                    raise RuntimeError(f"the worker did not finish:\n{worker.output()}")
                await asyncio.sleep(0.1)
            assert status == "ready", worker.output()
            runs.append(
                {
                    "jpeg_bytes": len(payload),
                    "seconds": round(time.monotonic() - started, 2),
                    **memory_kib(worker.process.pid),
                }
            )
    finally:
        worker.stop()
        await container.close()
        await probe.delete_all()
    peak = max(entry["VmHWM"] for entry in runs) / 1024
    return {
        "cpus": os.cpu_count(),
        "image": "6144x4096 JPEG (25.2 megapixels), 4 WebP sizes",
        "idle_worker_mib": {"VmRSS": round(idle["VmRSS"] / 1024, 1), "VmHWM": round(idle["VmHWM"] / 1024, 1)},
        "runs": [
            {
                "jpeg_bytes": entry["jpeg_bytes"],
                "seconds": entry["seconds"],
                "VmHWM_mib": round(entry["VmHWM"] / 1024, 1),
                "VmRSS_mib": round(entry["VmRSS"] / 1024, 1),
            }
            for entry in runs
        ],
        "peak_rss_mib": round(peak, 1),
        "target_met": peak < 200,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=3)
    args = parser.parse_args()
    database = databases.create_database("bench_worker")
    try:
        url = databases.async_url(database)
        databases.migrate("medias", url)
        with tempfile.TemporaryDirectory() as tmp:
            env = {
                "MEDIAS_DB_URL": url,
                "MEDIAS_STORAGE_LOCAL_ROOT": str(Path(tmp) / "media"),
                "AMQP_URL": os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
                "AMQP_PREFIX": f"qhitz-bench-{uuid.uuid4().hex[:8]}",
                "MEDIAS_PROCESSING_RELAY_POLL_SECONDS": "0.1",
                "APP_LOG_LEVEL": "WARNING",
            }
            result = asyncio.run(run(env, args.images, Path(tmp)))
    finally:
        databases.drop_database(database)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "worker_memory.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
