# ruff: noqa: S603, S607 -- the benchmark drives local tools (curl, nginx) on loopback by design
"""Benchmark (not a test): medias_service's upload memory, upload throughput and range-download throughput.

    uv run python bench/media_transfer.py [--big-mb 500] [--small-mb 100] [--rounds 3]

Starts throw-away PostgreSQL databases (like the tests), main_service, auth_service and medias_service as real
processes (uvicorn) on loopback, with the default local storage (fsync on). The client is curl, streaming from
files on disk. Measured, side by side in one run:

1. Peak RSS of the medias_service process during a big and a small upload (the kernel's high-water mark, reset
   through /proc/PID/clear_refs before each upload); target: big - small <= 16 MiB.
2. Upload throughput of POST /api/v1/media against a bare Litestar handler streaming the same multipart body to
   disk with sha256 (bench/apps/bare_upload.py), without and with a final fsync, alternating within each round;
   target: medias >= 70% of bare (median of the per-round ratios, against the bare handler without fsync,
   although medias_service fsyncs by default). CPU seconds of each server process per upload are reported too.
3. A ranged GET of the big file from medias_service against nginx serving the same stored file with sendfile,
   alternating; target: medias >= 50% of nginx (medians).

Results are printed and written to bench/results/media_transfer.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.apps.medias_platform import (  # noqa: E402
    cpu_seconds,
    make_file,
    reset_peak,
    rss_kib,
    running_platform,
    upload,
)

from tests.support import databases  # noqa: E402
from tests.support.servers import free_port, wait_healthy  # noqa: E402

MIB = 1024 * 1024


def curl(*args: str) -> dict[str, float]:
    out = subprocess.run(
        ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total} %{size_upload} %{size_download}", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return {"status": int(out[0]), "seconds": float(out[1]), "up": float(out[2]), "down": float(out[3])}


def upload_peak_delta(pid: int, url: str, path: Path, token: str) -> tuple[float, str]:
    """How far the process's resident memory rose above its level before one upload (MiB); and the media id."""
    before = reset_peak(pid)
    _, answer = upload(url, path, token)
    return (rss_kib(pid, "VmHWM") - before) / 1024, answer["id"]


@contextmanager
def nginx(root: Path, workdir: Path, port: int):
    workdir.mkdir(parents=True, exist_ok=True)
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"""
user root;
worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    types {{ video/mp4 mp4; }}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ }}
        location = /health {{ return 200 '{{"status":"ok"}}'; }}
    }}
}}
"""
    )
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(workdir)], stderr=subprocess.PIPE)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big-mb", type=int, default=500)
    parser.add_argument("--small-mb", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("nginx") is None:
        print("nginx is missing: apt-get install -y nginx", file=sys.stderr)
        return 2

    with (
        databases.migrated("main", "bench_main") as main_url,
        databases.migrated("medias", "bench_medias") as medias_url,
        tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp,
    ):
        result = run(Path(tmp), main_url, medias_url, args)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "media_transfer.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


def run(tmp: Path, main_db_url: str, medias_db_url: str, args: argparse.Namespace) -> dict:
    big, small = tmp / "big.mp4", tmp / "small.mp4"
    make_file(big, args.big_mb * MIB)
    make_file(small, args.small_mb * MIB)
    ports = {name: free_port() for name in ("bare", "nginx")}
    bare = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "apps" / "bare_upload.py"), str(ports["bare"]), str(tmp / "bare")]
    )
    try:
        wait_healthy(f"http://127.0.0.1:{ports['bare']}", process=bare)
        with running_platform(tmp, main_db_url, medias_db_url) as platform, httpx.Client(timeout=60) as http:
            medias_proc, token, media_root = platform.medias, platform.token, platform.media_root
            media_url = f"{medias_proc.url}/api/v1/media"
            bare_url = f"http://127.0.0.1:{ports['bare']}/upload"
            headers = platform.headers

            def purge(media_id: str) -> None:
                http.delete(f"{media_url}/{media_id}", params={"permanent": "true"}, headers=headers)

            # warm-up: connections, JWKS, limits cache, service token, code paths
            warm = tmp / "warm.mp4"
            make_file(warm, 2 * MIB)
            for _ in range(3):
                upload(bare_url, warm)
                purge(upload(media_url, warm, token)[1]["id"])

            # 1. memory
            pid = medias_proc.process.pid
            memory = {"small_mib": [], "big_mib": []}
            for _ in range(2):
                for label, path in (("small_mib", small), ("big_mib", big)):
                    delta, media_id = upload_peak_delta(pid, media_url, path, token)
                    memory[label].append(round(delta, 2))
                    purge(media_id)
            memory_delta = max(memory["big_mib"]) - max(memory["small_mib"])

            # 2. upload throughput, alternating within each round: bare, bare + fsync, medias_service
            speeds: dict[str, list[float]] = {"bare": [], "bare_fsync": [], "medias": []}
            cpu: dict[str, list[float]] = {"bare": [], "bare_fsync": [], "medias": []}
            for round_number in range(args.rounds):
                for label, url, pid in (
                    ("bare", bare_url, bare.pid),
                    ("bare_fsync", f"{bare_url}?fsync=1", bare.pid),
                    ("medias", media_url, medias_proc.process.pid),
                ):
                    shutil.rmtree(tmp / "bare", ignore_errors=True)
                    (tmp / "bare").mkdir()
                    cpu_before = cpu_seconds(pid)
                    result, answer = upload(url, big, token if label == "medias" else None)
                    cpu[label].append(cpu_seconds(pid) - cpu_before)
                    speeds[label].append(result["up"] / MIB / result["seconds"])
                    if label == "medias" and round_number < args.rounds - 1:
                        purge(answer["id"])
                    elif label == "medias":
                        media_id = answer["id"]
            shutil.rmtree(tmp / "bare", ignore_errors=True)

            # 3. range download of the stored big file vs nginx sendfile on the same file
            [stored] = [path for path in (media_root / "blobs").rglob("*") if path.is_file()]
            size = stored.stat().st_size
            range_header = f"Range: bytes=1-{size - 1}"
            with nginx(media_root, tmp / "nginx", ports["nginx"]) as nginx_url:
                nginx_file = f"{nginx_url}/{stored.relative_to(media_root)}"
                content_url = f"{media_url}/{media_id}/content"
                for _ in range(2):  # warm the page cache and both servers
                    curl("-H", range_header, nginx_file)
                    curl("-H", range_header, "-H", f"Authorization: Bearer {token}", content_url)
                nginx_mbps, medias_dl_mbps = [], []
                for _ in range(max(args.rounds, 5)):
                    got = curl("-H", range_header, nginx_file)
                    assert (got["status"], got["down"]) == (206, size - 1), got
                    nginx_mbps.append(got["down"] / MIB / got["seconds"])
                    got = curl("-H", range_header, "-H", f"Authorization: Bearer {token}", content_url)
                    assert (got["status"], got["down"]) == (206, size - 1), got
                    medias_dl_mbps.append(got["down"] / MIB / got["seconds"])
    finally:
        bare.terminate()
        bare.wait(timeout=10)

    def ratios(label: str) -> list[float]:
        return [m / b for m, b in zip(speeds["medias"], speeds[label], strict=True)]

    upload_ratio = statistics.median(ratios("bare"))
    durable_ratio = statistics.median(ratios("bare_fsync"))
    download_ratio = statistics.median(medias_dl_mbps) / statistics.median(nginx_mbps)
    return {
        "cpus": os.cpu_count(),
        "file_mb": {"big": args.big_mb, "small": args.small_mb},
        "upload_peak_rss_delta_mib": memory,
        "big_minus_small_peak_mib": round(memory_delta, 2),
        "memory_target_met": memory_delta <= 16,
        "upload_mib_per_s": {
            "bare_litestar": [round(v, 1) for v in speeds["bare"]],
            "bare_litestar_fsync": [round(v, 1) for v in speeds["bare_fsync"]],
            "medias_service": [round(v, 1) for v in speeds["medias"]],
            "median_of_round_ratios_vs_bare": round(upload_ratio, 3),
            "median_of_round_ratios_vs_bare_fsync": round(durable_ratio, 3),
        },
        "upload_server_cpu_seconds": {label: [round(v, 2) for v in values] for label, values in cpu.items()},
        "medias_storage_fsync": os.environ.get("MEDIAS_STORAGE_LOCAL_FSYNC", "true"),
        "upload_target_met": upload_ratio >= 0.7,
        "range_download_mib_per_s": {
            "nginx_sendfile": [round(v, 1) for v in nginx_mbps],
            "medias_service": [round(v, 1) for v in medias_dl_mbps],
            "median_ratio": round(download_ratio, 3),
        },
        "download_target_met": download_ratio >= 0.5,
    }


if __name__ == "__main__":
    sys.exit(main())
