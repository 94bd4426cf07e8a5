# ruff: noqa: S603, S607 -- the benchmark drives curl on loopback by design
"""Benchmark (not a test): the drive's big-folder operations and its streamed ZIP.

    uv run python bench/drive.py [--descendants 10000] [--media 2000] [--rounds 5] [--zip-mb 1024] [--small-zip-mb 32]
    uv run python bench/drive.py --smoke        # small sizes, a few seconds

On a throw-away PostgreSQL database migrated like the tests' (PostgreSQL on 127.0.0.1, as everywhere):

1. A folder with ``--descendants`` folders below it (100 children of 99 each by default: 10,000) and ``--media``
   media spread over them. Timed through the real use cases (FolderService with its SqlaFolderRepository, one
   transaction each): moving it into another folder (locks + cycle check + one UPDATE) and back, trashing the
   whole subtree, restoring it. Baselines in the same run: one bare UPDATE of a folder's parent_id (the floor of
   a move) and one bare UPDATE of the 10,000 folders by id (the floor of a trash, without walking the tree).
   Target: each operation well under a second (medians of ``--rounds``).
2. medias_service as a real process (uvicorn, local storage) serving GET /api/v1/s/{token}/zip of a shared folder
   of ``--zip-mb`` MiB (64 MiB files) and of one of ``--small-zip-mb`` MiB; curl downloads each. Reported: the
   server's peak RSS rise during each download (VmHWM, reset through /proc/PID/clear_refs) — flat memory means
   big ≈ small — and the ZIP throughput against GET /api/v1/s/{token}/content of one 64 MiB file (same server,
   same storage: the baseline of streaming bytes).

Results are printed and written to bench/results/drive.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import insert, update  # noqa: E402

from medias_service.adapters.outbound.persistence import models  # noqa: E402
from medias_service.domain.shares import new_token, token_hash  # noqa: E402
from medias_service.main.app import make_container  # noqa: E402
from medias_service.main.settings import MediasSettings  # noqa: E402
from medias_service.services.folders import FolderService  # noqa: E402
from qhitz_shared.principal import Principal  # noqa: E402
from tests.support import databases  # noqa: E402
from tests.support.servers import free_port, spawn_service  # noqa: E402

MIB = 1024 * 1024
FILE_MIB = 64
PERMISSIONS = frozenset({"media:read", "media:write", "media:delete"})


def now() -> datetime:
    return datetime.now(UTC)


def folder_row(owner: uuid.UUID, parent: uuid.UUID | None, name: str) -> dict:
    return {"id": uuid.uuid4(), "owner_id": owner, "parent_id": parent, "name": name, "name_key": name.casefold()}


def media_row(owner: uuid.UUID, folder: uuid.UUID | None, title: str, size: int) -> dict:
    return {
        "id": uuid.uuid4(), "owner_id": owner, "title": title, "is_public": False, "current_version": 1,
        "version_count": 1, "kind": "document", "content_type": "application/pdf", "size": size, "status": "ready",
        "folder_id": folder,
    }  # fmt: skip


async def seed_tree(container, owner: uuid.UUID, descendants: int, media: int) -> tuple[uuid.UUID, uuid.UUID, list]:
    """A top folder "big" with ``descendants`` folders below it (two levels), ``media`` media among them, and an
    empty top folder "elsewhere"; returns (big, elsewhere, ids of everything below big)."""
    from sqlalchemy.ext.asyncio import AsyncEngine

    engine = await container.get(AsyncEngine)
    big, elsewhere = folder_row(owner, None, "big"), folder_row(owner, None, "elsewhere")
    width = max(1, round(descendants**0.5))
    level1 = [folder_row(owner, big["id"], f"d{i:04d}") for i in range(min(width, descendants))]
    level2 = []
    for i in range(descendants - len(level1)):
        level2.append(folder_row(owner, level1[i % len(level1)]["id"], f"e{i:06d}"))
    below = level1 + level2
    items = [media_row(owner, below[i % len(below)]["id"], f"m{i}", 1000 + i) for i in range(media)]
    async with engine.begin() as connection:
        await connection.execute(insert(models.FolderModel.__table__), [big, elsewhere])
        for start in range(0, len(below), 2000):
            await connection.execute(insert(models.FolderModel.__table__), below[start : start + 2000])
        for start in range(0, len(items), 2000):
            await connection.execute(insert(models.MediaModel.__table__), items[start : start + 2000])
    return big["id"], elsewhere["id"], [row["id"] for row in below]


async def timed(container, action) -> float:
    async with container() as request:
        service = await request.get(FolderService)
        started = time.perf_counter()
        await action(service)
        return time.perf_counter() - started


async def bare(container, statement) -> float:
    from sqlalchemy.ext.asyncio import AsyncEngine

    engine = await container.get(AsyncEngine)
    started = time.perf_counter()
    async with engine.begin() as connection:
        await connection.execute(statement)
    return time.perf_counter() - started


async def tree_bench(url: str, args: argparse.Namespace) -> dict:
    settings = MediasSettings.from_env({"MEDIAS_DB_URL": url, "APP_LOG_LEVEL": "WARNING"})
    container = make_container(settings)
    owner = uuid.uuid4()
    actor = Principal(subject=str(owner), permissions=PERMISSIONS)
    folder = models.FolderModel.__table__
    try:
        big, elsewhere, below = await seed_tree(container, owner, args.descendants, args.media)
        times: dict[str, list[float]] = {
            key: [] for key in ("move", "move_back", "trash", "restore", "bare_move", "bare_trash")
        }
        for _ in range(args.rounds):
            times["move"].append(await timed(container, lambda s: s.update(actor, big, name=None, move=True,
                                                                          parent_id=elsewhere)))  # fmt: skip
            times["move_back"].append(
                await timed(container, lambda s: s.update(actor, big, name=None, move=True, parent_id=None))
            )
            times["trash"].append(await timed(container, lambda s: s.trash(actor, big)))
            times["restore"].append(await timed(container, lambda s: s.restore(actor, big)))
            times["bare_move"].append(await bare(container, update(folder).where(folder.c.id == big).values(
                parent_id=None, updated_at=now())))  # fmt: skip
            times["bare_trash"].append(
                await bare(container, update(folder).where(folder.c.id.in_(below)).values(updated_at=now()))
            )
    finally:
        await container.close()
    medians = {key: round(statistics.median(values) * 1000, 1) for key, values in times.items()}
    return {
        "descendants": args.descendants,
        "media": args.media,
        "rounds": args.rounds,
        "median_ms": medians,
        "ratio_move_vs_bare_update": round(medians["move"] / max(medians["bare_move"], 0.01), 1),
        "ratio_trash_vs_bare_update_of_all": round(medians["trash"] / max(medians["bare_trash"], 0.01), 2),
        "under_a_second": all(medians[key] < 1000 for key in ("move", "move_back", "trash", "restore")),
    }


def write_file(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        file.write(b"%PDF-1.7\n")
        left = size - 9
        block = os.urandom(MIB)
        while left > 0:
            file.write(block[: min(left, MIB)])
            left -= min(left, MIB)


async def seed_share(url: str, root: Path, owner: uuid.UUID, name: str, total_mib: int, reuse: list | None) -> tuple:
    """A folder of ``total_mib`` MiB in FILE_MIB files (stored under ``root``), shared by a link; the token."""
    from qhitz_shared.db import DatabaseSettings, create_engine

    engine = create_engine(DatabaseSettings(url=url))
    folder = folder_row(owner, None, name)
    blobs, media, versions = [], [], []
    count = max(1, total_mib // FILE_MIB)
    for index in range(count):
        size = min(FILE_MIB, total_mib) * MIB
        key = f"blobs/bench/{uuid.uuid4().hex}"
        write_file(root / key, size)
        blob = {"id": uuid.uuid4(), "owner_id": owner, "sha256": uuid.uuid4().hex * 2, "size": size,
                "storage_key": key, "refcount": 1}  # fmt: skip
        item = media_row(owner, folder["id"], f"part-{index:03d}.pdf", size)
        version = {"id": uuid.uuid4(), "media_id": item["id"], "number": 1, "blob_id": blob["id"], "size": size,
                   "sha256": blob["sha256"], "content_type": "application/pdf", "kind": "document",
                   "original_filename": f"part-{index:03d}.pdf", "status": "ready"}  # fmt: skip
        blobs.append(blob), media.append(item), versions.append(version)
    token = new_token()
    counters = {"allow_download": True, "download_count": 0, "access_count": 0}
    link = {"id": uuid.uuid4(), "owner_id": owner, "token_hash": token_hash(token), "folder_id": folder["id"],
            "media_id": None, **counters}  # fmt: skip
    single = new_token()
    file_link = {"id": uuid.uuid4(), "owner_id": owner, "token_hash": token_hash(single), "media_id": media[0]["id"],
                 "folder_id": None, **counters}  # fmt: skip
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(models.FolderModel.__table__), [folder])
            await connection.execute(insert(models.BlobModel.__table__), blobs)
            await connection.execute(insert(models.MediaModel.__table__), media)
            await connection.execute(insert(models.MediaVersionModel.__table__), versions)
            await connection.execute(insert(models.ShareLinkModel.__table__), [link, file_link])
    finally:
        await engine.dispose()
    return token, single, count * min(FILE_MIB, total_mib) * MIB


def rss_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def download(pid: int, url: str) -> dict:
    """curl the URL to /dev/null; the server's peak RSS rise (MiB), seconds, bytes."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    before = rss_kib(pid, "VmHWM")
    out = subprocess.run(
        ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total} %{size_download}", url],
        check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    assert out[0] == "200", out
    return {"rss_rise_mib": (rss_kib(pid, "VmHWM") - before) / 1024, "seconds": float(out[1]), "bytes": int(out[2])}


def zip_bench(url: str, tmp: Path, args: argparse.Namespace) -> dict:
    root, owner = tmp / "media", uuid.uuid4()
    big, single, big_bytes = asyncio.run(seed_share(url, root, owner, "big", args.zip_mb, None))
    small, _, _ = asyncio.run(seed_share(url, root, owner, "small", args.small_zip_mb, None))
    port = free_port()
    env = {
        "APP_DATA_DIR": str(tmp / "data"), "APP_LOG_LEVEL": "WARNING", "MEDIAS_HTTP_PORT": str(port),
        "MEDIAS_DB_URL": url, "MEDIAS_STORAGE_LOCAL_ROOT": str(root), "MEDIAS_PROCESSING_ENABLED": "false",
    }  # fmt: skip
    with spawn_service("medias_service.main", env, port, tmp) as medias:
        base, pid = medias.url, medias.process.pid
        download(pid, f"{base}/api/v1/s/{small}/zip")  # warm-up
        rounds: dict[str, list[dict]] = {"zip_big": [], "zip_small": [], "single_file": []}
        for _ in range(max(1, args.zip_rounds)):
            rounds["zip_small"].append(download(pid, f"{base}/api/v1/s/{small}/zip"))
            rounds["zip_big"].append(download(pid, f"{base}/api/v1/s/{big}/zip"))
            rounds["single_file"].append(download(pid, f"{base}/api/v1/s/{single}/content"))
    assert all(r["bytes"] >= big_bytes for r in rounds["zip_big"])

    def median(label: str, key: str) -> float:
        return statistics.median(r[key] for r in rounds[label])

    def throughput(label: str) -> float:
        return statistics.median(r["bytes"] / r["seconds"] / MIB for r in rounds[label])

    big_rise, small_rise = median("zip_big", "rss_rise_mib"), median("zip_small", "rss_rise_mib")
    return {
        "zip_mib": args.zip_mb,
        "small_zip_mib": args.small_zip_mb,
        "peak_rss_rise_mib": {"zip_big": round(big_rise, 1), "zip_small": round(small_rise, 1)},
        "rss_rise_big_minus_small_mib": round(big_rise - small_rise, 1),
        "throughput_mib_s": {
            "zip_big": round(throughput("zip_big"), 1),
            "single_file_content": round(throughput("single_file"), 1),
        },
        "ratio_zip_vs_single_file": round(throughput("zip_big") / throughput("single_file"), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="The drive's big-folder moves and trash, and its streamed ZIP.")
    parser.add_argument("--descendants", type=int, default=10_000)
    parser.add_argument("--media", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--zip-mb", type=int, default=1024)
    parser.add_argument("--small-zip-mb", type=int, default=32)
    parser.add_argument("--zip-rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script works")
    args = parser.parse_args()
    if args.smoke:
        args.descendants, args.media, args.rounds = 200, 50, 2
        args.zip_mb, args.small_zip_mb, args.zip_rounds = 8, 2, 1
    with (
        databases.migrated("medias", "bench_drive") as url,
        tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp,
    ):
        result = {"tree": asyncio.run(tree_bench(url, args)), "zip": zip_bench(url, Path(tmp), args)}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "drive.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
