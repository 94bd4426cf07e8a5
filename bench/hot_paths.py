# ruff: noqa: S603 -- the benchmark runs wrk and the services as local processes by design
"""Benchmark (not a test): the hot read paths side by side with a bare Litestar hello on the same server.

    uv run python bench/hot_paths.py [--rounds 3] [--warmup 3] [--duration 10] [--connections 32]

Needs wrk (Debian/Ubuntu: apt-get install -y wrk) and PostgreSQL, Redis and RabbitMQ as for the tests
(QHITZ_TEST_PG, REDIS_URL, AMQP_URL or their local defaults). Starts, each as its own process with one server
worker: bench/apps/hello.py (the baseline), main_service, medias_service, and auth_service (only to register and
log in once; not measured). Seeds the user's library with 50 images of 4 stored sizes and 2 tags each, straight
into mediasdb. Then runs ``wrk -t1 -c<connections>`` against each target: warm-up, then the measured run, the
targets interleaved, for several rounds; any non-2xx answer fails the run. Prints one table of medians over the
rounds: requests per second, p50 and p99 latency, server CPU per request (the server process's user+system
time over the measured run, divided by the requests wrk completed) and rps as a share of hello's.

Services log at WARNING (APP_LOG_LEVEL), so access lines are dropped as a quiet production setup would;
``--log-level INFO`` measures them written. Results are also written to bench/results/hot_paths.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from auth_service.domain.limits import RateRule  # noqa: E402
from medias_service.adapters.outbound.persistence import models as medias  # noqa: E402
from medias_service.domain.processing import SIZES  # noqa: E402
from qhitz_shared.ids import new_id  # noqa: E402
from tests.support import databases  # noqa: E402
from tests.support.servers import free_port, spawn_service, wait_healthy  # noqa: E402

PASSWORD = "Velvet-Orbit-Canyon-42"
MEDIA_COUNT = 50
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Target:
    name: str
    url: str
    pid: int
    headers: dict[str, str]


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_request: float


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


_WRK_FIGURES = (r"Requests/sec:\s+([0-9.]+)", r"^\s+50%\s+(\S+)\s*$", r"^\s+99%\s+(\S+)\s*$", r"(\d+) requests in")


def wrk(target: Target, seconds: int, connections: int) -> tuple[float, float, float, int]:
    """rps, p50 ms, p99 ms and completed requests of one wrk run; raises on any non-2xx answer or socket error."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    for name, value in target.headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, target.url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"{target.name}: wrk saw failures\n{output}")
    found = [re.search(pattern, output, re.M) for pattern in _WRK_FIGURES]
    if not all(found):
        raise RuntimeError(f"{target.name}: cannot read wrk's output\n{output}")
    rps, p50, p99, completed = (match.group(1) for match in found)  # type: ignore[union-attr]
    return float(rps), _ms(p50), _ms(p99), int(completed)


def measure(target: Target, args: argparse.Namespace) -> Run:
    wrk(target, args.warmup, args.connections)
    before = cpu_seconds(target.pid)
    rps, p50, p99, completed = wrk(target, args.duration, args.connections)
    cpu = cpu_seconds(target.pid) - before
    return Run(rps, p50, p99, cpu * 1000 / max(completed, 1))


async def seed_library(db_url: str, owner_id: uuid.UUID) -> list[uuid.UUID]:
    """50 ready images, each with one version, 4 ready sizes (own blobs) and 2 tags, as processing leaves them."""
    engine = create_async_engine(db_url)
    media_ids: list[uuid.UUID] = []
    blobs, media, versions, sizes, links = [], [], [], [], []
    tags = {name: new_id() for name in ("bench", *(f"group-{n}" for n in range(5)))}
    for n in range(MEDIA_COUNT):
        media_id, version_id, blob_id = new_id(), new_id(), new_id()
        media_ids.append(media_id)
        blobs.append(_blob(owner_id, blob_id, 2_000_000 + n))
        media.append(
            {
                "id": media_id,
                "owner_id": owner_id,
                "title": f"Photo {n:02d}",
                "description": "A benchmark image",
                "is_public": False,
                "current_version": 1,
                "version_count": 1,
                "kind": "image",
                "content_type": "image/jpeg",
                "size": 2_000_000 + n,
                "status": "ready",
                "original_filename": f"photo-{n:02d}.jpg",
            }
        )
        versions.append(
            {
                "id": version_id,
                "media_id": media_id,
                "number": 1,
                "blob_id": blob_id,
                "size": 2_000_000 + n,
                "sha256": blob_id.hex * 2,
                "content_type": "image/jpeg",
                "kind": "image",
                "original_filename": f"photo-{n:02d}.jpg",
                "status": "ready",
                "width": 6000,
                "height": 4000,
            }
        )
        for spec in SIZES:
            size_blob = new_id()
            blobs.append(_blob(owner_id, size_blob, spec.edge * 100))
            sizes.append(
                {
                    "id": new_id(),
                    "version_id": version_id,
                    "name": spec.name,
                    "status": "ready",
                    "content_type": "image/webp",
                    "width": spec.edge,
                    "height": spec.edge * 2 // 3,
                    "size": spec.edge * 100,
                    "sha256": size_blob.hex * 2,
                    "blob_id": size_blob,
                }
            )
        links += [
            {"media_id": media_id, "tag_id": tags["bench"]},
            {"media_id": media_id, "tag_id": tags[f"group-{n % 5}"]},
        ]
    async with engine.begin() as connection:
        await connection.execute(insert(medias.BlobModel.__table__), blobs)
        await connection.execute(insert(medias.MediaModel.__table__), media)
        await connection.execute(insert(medias.MediaVersionModel.__table__), versions)
        await connection.execute(insert(medias.MediaSizeModel.__table__), sizes)
        await connection.execute(
            insert(medias.MediaTagModel.__table__),
            [{"id": tag_id, "owner_id": owner_id, "name": name} for name, tag_id in tags.items()],
        )
        await connection.execute(insert(medias.media_tags_media), links)
    await engine.dispose()
    return media_ids


def _blob(owner_id: uuid.UUID, blob_id: uuid.UUID, size: int) -> dict[str, object]:
    return {
        "id": blob_id,
        "owner_id": owner_id,
        "sha256": blob_id.hex * 2,
        "size": size,
        "storage_key": f"blobs/bench/{blob_id.hex}",
        "refcount": 1,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=3, help="seconds of wrk before each measured run")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each measured run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--log-level", default="WARNING", help="APP_LOG_LEVEL of the services")
    parser.add_argument(
        "--pool-size",
        type=int,
        default=0,
        help="each service's DB pool (pool_size, no overflow); 0 keeps the services' defaults (20, no overflow)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk (Debian/Ubuntu) or brew install wrk", file=sys.stderr)
        return 2

    with (
        databases.migrated("main", "bench_main") as main_url,
        databases.migrated("medias", "bench_medias") as medias_url,
        tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp,
    ):
        rounds = run(Path(tmp), main_url, medias_url, args)

    hello = statistics.median(r.rps for r in rounds["hello"])
    table = {}
    for name, runs in rounds.items():
        rps = statistics.median(r.rps for r in runs)
        table[name] = {
            "rps": round(rps),
            "p50_ms": round(statistics.median(r.p50_ms for r in runs), 2),
            "p99_ms": round(statistics.median(r.p99_ms for r in runs), 2),
            "cpu_ms_per_request": round(statistics.median(r.cpu_ms_per_request for r in runs), 3),
            "share_of_hello": round(rps / hello, 4),
        }
    print(
        f"\nwrk -t1 -c{args.connections}, {args.warmup} s warm-up then {args.duration} s, "
        f"{args.rounds} rounds interleaved, medians; one server worker per process; APP_LOG_LEVEL={args.log_level}"
    )
    print(f"| {'target':<44} | {'rps':>7} | {'p50 ms':>7} | {'p99 ms':>7} | {'CPU/req ms':>10} | {'of hello':>8} |")
    print(f"|{'-' * 46}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 12}|{'-' * 10}|")
    for name, row in table.items():
        print(
            f"| {name:<44} | {row['rps']:>7} | {row['p50_ms']:>7} | {row['p99_ms']:>7} | "
            f"{row['cpu_ms_per_request']:>10} | {row['share_of_hello'] * 100:>7.1f}% |"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    result = {"settings": vars(args), "cpus": os.cpu_count(), "targets": table}
    (out / "hot_paths.json").write_text(json.dumps(result, indent=2))
    return 0


def run(tmp: Path, main_db_url: str, medias_db_url: str, args: argparse.Namespace) -> dict[str, list[Run]]:
    ports = {name: free_port() for name in ("hello", "main", "auth", "medias")}
    common = {
        "APP_DATA_DIR": str(tmp / "data"),
        "APP_LOG_LEVEL": args.log_level,
        "JWT_JWKS_URL": f"http://127.0.0.1:{ports['auth']}/.well-known/jwks.json",
    }
    secret = uuid.uuid4().hex * 2
    for service in ("MAIN", "MEDIAS") if args.pool_size else ():
        common[f"{service}_DB_POOL_SIZE"], common[f"{service}_DB_MAX_OVERFLOW"] = str(args.pool_size), "0"
    main_env = {**common, "MAIN_DB_URL": main_db_url, "MAIN_HTTP_PORT": str(ports["main"])}
    auth_env = {
        **common,
        "AUTH_HTTP_PORT": str(ports["auth"]),
        "AUTH_MAIN_URL": f"http://127.0.0.1:{ports['main']}",
        "AUTH_SERVICE_CLIENTS": f"medias_service:{secret}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "AUTH_RATE_KEY_PREFIX": f"qhitz-bench-{uuid.uuid4().hex[:8]}",
        **{f"AUTH_RATE_{str(rule).upper()}": "100000/minute" for rule in RateRule},
    }
    medias_env = {
        **common,
        "MEDIAS_HTTP_PORT": str(ports["medias"]),
        "MEDIAS_DB_URL": medias_db_url,
        "MEDIAS_MAIN_URL": f"http://127.0.0.1:{ports['main']}",
        "MEDIAS_STORAGE_LOCAL_ROOT": str(tmp / "media"),
        "SERVICE_AUTH_URL": f"http://127.0.0.1:{ports['auth']}",
        "SERVICE_CLIENT_ID": "medias_service",
        "SERVICE_CLIENT_SECRET": secret,
    }
    hello = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "apps" / "hello.py"), str(ports["hello"])],
        env={**os.environ, "APP_LOG_LEVEL": args.log_level},
    )
    try:
        wait_healthy(f"http://127.0.0.1:{ports['hello']}", process=hello)
        with (
            spawn_service("main_service.main", main_env, ports["main"], tmp) as main_proc,
            spawn_service("auth_service.main", auth_env, ports["auth"], tmp) as auth_proc,
            spawn_service("medias_service.main", medias_env, ports["medias"], tmp) as medias_proc,
            httpx.Client(timeout=30) as http,
        ):
            suffix = uuid.uuid4().hex[:10]
            account = {"email": f"bench{suffix}@example.com", "username": f"bench{suffix}", "password": PASSWORD}
            http.post(f"{auth_proc.url}/api/v1/auth/register", json=account).raise_for_status()
            login = http.post(f"{auth_proc.url}/api/v1/auth/login", json=account)
            login.raise_for_status()
            auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
            me = http.get(f"{main_proc.url}/api/v1/users/me", headers=auth)
            me.raise_for_status()
            media_ids = asyncio.run(seed_library(medias_db_url, uuid.UUID(me.json()["id"])))
            one = f"{medias_proc.url}/api/v1/media/{media_ids[0]}"
            page = http.get(f"{medias_proc.url}/api/v1/media", params={"per_page": 50}, headers=auth)
            page.raise_for_status()
            assert len(page.json()["items"]) == MEDIA_COUNT, page.text
            assert all(len(item["sizes"]) == len(SIZES) for item in page.json()["items"]), page.text
            targets = [
                Target("bare Litestar hello (same server setup)", f"http://127.0.0.1:{ports['hello']}/", hello.pid, {}),
                Target("main GET /health", f"{main_proc.url}/health", main_proc.process.pid, {}),
                Target("main GET /api/v1/users/me", f"{main_proc.url}/api/v1/users/me", main_proc.process.pid, auth),
                Target("medias GET /api/v1/media/{id}", one, medias_proc.process.pid, auth),
                Target(
                    f"medias GET /api/v1/media?per_page=50 ({MEDIA_COUNT}x{len(SIZES)} sizes)",
                    f"{medias_proc.url}/api/v1/media?per_page=50",
                    medias_proc.process.pid,
                    auth,
                ),
            ]
            rounds: dict[str, list[Run]] = {target.name: [] for target in targets}
            for number in range(1, args.rounds + 1):
                for target in targets:
                    result = measure(target, args)
                    rounds[target.name].append(result)
                    print(f"round {number}: {target.name}: {result.rps:.0f} rps", flush=True)
            del auth_proc
            return {"hello": rounds.pop(targets[0].name), **{name: runs for name, runs in rounds.items()}}
    finally:
        hello.terminate()
        hello.wait(timeout=15)


if __name__ == "__main__":
    start = time.monotonic()
    code = main()
    print(f"({time.monotonic() - start:.0f} s)")
    sys.exit(code)
