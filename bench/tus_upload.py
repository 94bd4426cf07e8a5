"""Benchmark (not a test): resumable (tus) uploads against the multipart route, memory and throughput.

    uv run python bench/tus_upload.py [--big-mb 1024] [--small-mb 100] [--chunk-mb 8] [--rounds 3]

Starts throw-away PostgreSQL databases (like the tests), main_service, auth_service and medias_service as real
processes (uvicorn) on loopback, with the default local storage (fsync on). The tus clients are tuspy (PATCHes of
--chunk-mb, each read whole from the file, a new connection each), a keep-alive httpx loop streaming each PATCH
from the file (as browsers do), and a keep-alive http.client loop handing each PATCH's bytes to sendfile (as light
on the shared CPUs as curl: it shows the server's own cost); the multipart client is curl, streaming from the same
file.
Measured, side by side in one run:

1. Peak RSS of the medias_service process during a big and a small tus upload (the kernel's high-water mark,
   reset through /proc/PID/clear_refs before each); target: big - small <= 16 MiB.
2. Upload throughput of the big file through POST /api/v1/media and the three tus clients, alternating within
   each round; target: tus >= 70% of multipart (median of the per-round ratios), judged on the library clients
   (tuspy, httpx). CPU seconds of medias_service per upload too.

Results are printed and written to bench/results/tus_upload.json. A quick run: --big-mb 16 --small-mb 8
--rounds 1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from tusclient.client import TusClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.apps.medias_platform import (  # noqa: E402
    MediasPlatform,
    cpu_seconds,
    make_file,
    reset_peak,
    rss_kib,
    running_platform,
    upload,
)

from tests.support import databases  # noqa: E402

MIB = 1024 * 1024


def tus_upload(platform: MediasPlatform, path: Path, chunk: int) -> tuple[float, str]:
    """One tus upload with tuspy: seconds taken, and the media it became."""
    client = TusClient(f"{platform.medias.url}/api/v1/uploads", headers=platform.headers)
    uploader = client.uploader(str(path), chunk_size=chunk, metadata={"filename": path.name})
    started = time.perf_counter()
    uploader.upload()
    seconds = time.perf_counter() - started
    state = httpx.get(uploader.url, headers=platform.headers, timeout=30).raise_for_status().json()
    assert state["offset"] == path.stat().st_size, state
    return seconds, state["media_id"]


def tus_upload_keepalive(platform: MediasPlatform, path: Path, chunk: int) -> tuple[float, str]:
    """The same protocol from a client that keeps its connection open between requests and streams each PATCH
    from the file, as browsers (tus-js-client, Uppy) do: creation, then PATCHes of ``chunk`` bytes."""
    size = path.stat().st_size
    tus = {**platform.headers, "Tus-Resumable": "1.0.0"}
    started = time.perf_counter()
    with httpx.Client(base_url=platform.medias.url, timeout=120) as http, path.open("rb") as file:
        created = http.post("/api/v1/uploads", headers={**tus, "Upload-Length": str(size)}).raise_for_status()
        url, offset = created.headers["location"], 0

        def piece(length: int):
            left = length
            while left:
                data = file.read(min(left, MIB))
                left -= len(data)
                yield data

        while offset < size:
            length = min(chunk, size - offset)
            headers = {**tus, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream",
                       "Content-Length": str(length)}  # fmt: skip
            answer = http.patch(url, headers=headers, content=piece(length)).raise_for_status()
            offset = int(answer.headers["upload-offset"])
        seconds = time.perf_counter() - started
        media_id = http.get(url, headers=platform.headers).raise_for_status().json()["media_id"]
    return seconds, media_id


def tus_upload_sendfile(platform: MediasPlatform, path: Path, chunk: int) -> tuple[float, str]:
    """The same keep-alive protocol, each PATCH's bytes handed to the kernel with sendfile (http.client for the
    rest): a client as light as curl is for the multipart upload, so the comparison shows the server's cost
    rather than a Python client's."""
    size = path.stat().st_size
    tus = {**platform.headers, "Tus-Resumable": "1.0.0"}
    address = urlsplit(platform.medias.url)
    http = HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=120)
    started = time.perf_counter()
    try:
        http.request("POST", "/api/v1/uploads", headers={**tus, "Upload-Length": str(size)})
        created = http.getresponse()
        created.read()
        assert created.status == 201, created.status
        url, offset = created.headers["location"], 0
        with path.open("rb") as file:
            while offset < size:
                length = min(chunk, size - offset)
                http.putrequest("PATCH", url, skip_accept_encoding=True)
                for name, value in {**tus, "Upload-Offset": str(offset), "Content-Length": str(length),
                                    "Content-Type": "application/offset+octet-stream"}.items():  # fmt: skip
                    http.putheader(name, value)
                http.endheaders()
                assert http.sock is not None
                http.sock.sendfile(file, offset, length)  # os.sendfile, waiting on the socket's timeout
                answer = http.getresponse()
                answer.read()
                assert answer.status == 204, answer.status
                offset = int(answer.headers["upload-offset"])
        seconds = time.perf_counter() - started
    finally:
        http.close()
    state = httpx.get(f"{platform.medias.url}{url}", headers=platform.headers, timeout=30).raise_for_status().json()
    return seconds, state["media_id"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big-mb", type=int, default=1024)
    parser.add_argument("--small-mb", type=int, default=100)
    parser.add_argument("--chunk-mb", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with (
        databases.migrated("main", "bench_main") as main_url,
        databases.migrated("medias", "bench_medias") as medias_url,
        tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp,
    ):
        result = run(Path(tmp), main_url, medias_url, args)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "tus_upload.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


def run(tmp: Path, main_db_url: str, medias_db_url: str, args: argparse.Namespace) -> dict:
    big, small, warm = tmp / "big.mp4", tmp / "small.mp4", tmp / "warm.mp4"
    make_file(big, args.big_mb * MIB)
    make_file(small, args.small_mb * MIB)
    make_file(warm, 2 * MIB)
    chunk = args.chunk_mb * MIB
    with running_platform(tmp, main_db_url, medias_db_url) as platform, httpx.Client(timeout=60) as http:
        media_url = f"{platform.medias.url}/api/v1/media"
        pid = platform.medias.process.pid

        def purge(media_id: str) -> None:
            http.delete(f"{media_url}/{media_id}", params={"permanent": "true"}, headers=platform.headers)

        for _ in range(3):  # warm-up: connections, JWKS, limits cache, service token, code paths
            purge(tus_upload(platform, warm, chunk)[1])
            purge(upload(media_url, warm, platform.token)[1]["id"])

        memory: dict[str, list[float]] = {"small_mib": [], "big_mib": []}
        for _ in range(2):
            for label, path in (("small_mib", small), ("big_mib", big)):
                before = reset_peak(pid)
                _, media_id = tus_upload(platform, path, chunk)
                memory[label].append(round((rss_kib(pid, "VmHWM") - before) / 1024, 2))
                purge(media_id)
        memory_delta = max(memory["big_mib"]) - max(memory["small_mib"])

        clients = {"tus": tus_upload, "tus_keepalive": tus_upload_keepalive, "tus_sendfile": tus_upload_sendfile}
        speeds: dict[str, list[float]] = {"multipart": [], **{label: [] for label in clients}}
        cpu: dict[str, list[float]] = {label: [] for label in speeds}
        for _ in range(args.rounds):
            cpu_before = cpu_seconds(pid)
            timing, answer = upload(media_url, big, platform.token)
            cpu["multipart"].append(cpu_seconds(pid) - cpu_before)
            speeds["multipart"].append(big.stat().st_size / MIB / timing["seconds"])
            purge(answer["id"])
            for label, client in clients.items():
                cpu_before = cpu_seconds(pid)
                seconds, media_id = client(platform, big, chunk)
                cpu[label].append(cpu_seconds(pid) - cpu_before)
                speeds[label].append(big.stat().st_size / MIB / seconds)
                purge(media_id)

    def ratio_of(label: str) -> float:
        return statistics.median(t / m for t, m in zip(speeds[label], speeds["multipart"], strict=True))

    ratio, keepalive_ratio, sendfile_ratio = ratio_of("tus"), ratio_of("tus_keepalive"), ratio_of("tus_sendfile")
    return {
        "cpus": os.cpu_count(),
        "file_mb": {"big": args.big_mb, "small": args.small_mb},
        "tus_chunk_mb": args.chunk_mb,
        "tus_upload_peak_rss_delta_mib": memory,
        "big_minus_small_peak_mib": round(memory_delta, 2),
        "memory_target_met": memory_delta <= 16,
        "upload_mib_per_s": {
            "multipart_curl": [round(v, 1) for v in speeds["multipart"]],
            "tus_tuspy": [round(v, 1) for v in speeds["tus"]],
            "tus_keepalive_httpx": [round(v, 1) for v in speeds["tus_keepalive"]],
            "tus_keepalive_sendfile": [round(v, 1) for v in speeds["tus_sendfile"]],
            "median_of_round_ratios_tuspy_vs_multipart": round(ratio, 3),
            "median_of_round_ratios_keepalive_vs_multipart": round(keepalive_ratio, 3),
            "median_of_round_ratios_sendfile_vs_multipart": round(sendfile_ratio, 3),
        },
        "upload_server_cpu_seconds": {label: [round(v, 2) for v in values] for label, values in cpu.items()},
        # judged on the library clients (tuspy, httpx); the sendfile client shows the server's own share
        "throughput_target_met": max(ratio, keepalive_ratio) >= 0.7,
    }


if __name__ == "__main__":
    sys.exit(main())
