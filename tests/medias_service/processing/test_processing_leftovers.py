"""What killed processes leave on disk goes away by itself: the job folder of a worker that was SIGKILLed (its
copy of an original) and the .part file of a killed upload are removed when a worker starts and periodically
after, while the folders of live processes stay."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medias_service.adapters.outbound.processing.workdirs import PREFIX
from tests.medias_service.processing.support import BrokerProbe, eventually, worker_process

LONG_AGO = time.time() - 3600


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def leftover_folder(work_dir: Path, pid: int, name: str) -> Path:
    folder = work_dir / f"{PREFIX}{pid}-{name}"
    folder.mkdir(parents=True)
    (folder / "original").write_bytes(b"a copy of someone's original" * 100)
    os.utime(folder, (LONG_AGO, LONG_AGO))
    return folder


def leftover_part(storage_root: Path, name: str) -> Path:
    part = storage_root / "tmp" / f"{name}.part"
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(b"half an upload")
    os.utime(part, (LONG_AGO, LONG_AGO))
    return part


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("jobs")


async def test_leftovers_of_killed_processes_are_swept_at_start_and_periodically(
    processing_env: dict[str, str], broker: BrokerProbe, work_dir: Path, storage_root: Path, tmp_path: Path
):
    env = {
        **processing_env,
        "MEDIAS_PROCESSING_WORK_DIR": str(work_dir),
        "MEDIAS_PROCESSING_STALE_JOB_SECONDS": "30",
        "MEDIAS_STORAGE_STALE_UPLOAD_SECONDS": "30",
        "MEDIAS_STORAGE_SWEEP_INTERVAL_SECONDS": "0.2",
    }
    killed_worker = leftover_folder(work_dir, dead_pid(), "killed")
    killed_upload = leftover_part(storage_root, "killed-upload")
    someone_alive = leftover_folder(work_dir, os.getpid(), "alive")  # this test process, to the worker: alive
    fresh = leftover_part(storage_root, "being-written")
    os.utime(fresh)  # touched just now, as a running write keeps it

    def present() -> set[str]:
        return {path.name for path in (killed_worker, killed_upload, someone_alive, fresh) if path.exists()}

    with worker_process(env, tmp_path / "worker.log") as worker:
        await worker.consuming(broker)
        left = await eventually(_async(present), lambda names: len(names) <= 2, timeout=30)
        assert left == {someone_alive.name, fresh.name}

        later = leftover_folder(work_dir, dead_pid(), "later")  # a worker killed while this one runs
        await eventually(_async(lambda: later.exists()), lambda exists: not exists, timeout=30)
        assert someone_alive.exists() and fresh.exists()


def _async(probe):
    async def run():
        return await asyncio.to_thread(probe)

    return run
