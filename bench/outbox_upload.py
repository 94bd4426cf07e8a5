"""Benchmark (not a test): what writing the outbox adds to an upload request.

    uv run python bench/outbox_upload.py [--uploads 400]

Starts throw-away PostgreSQL databases (like the tests), main_service, auth_service and two medias_service
processes on the same mediasdb: one as deployed (a broker configured: each new version writes its pending sizes
and a media.version.created row in the upload's transaction), one with MEDIAS_PROCESSING_ENABLED=false (no
outbox write). No relay or worker runs, so nothing else touches the database. Uploads of a small JPEG (distinct
bytes each time) alternate between the two. Reported: client-side and server-side (access log) latency
percentiles of POST /api/v1/media for each, and the p99 difference. Target: the outbox adds at most 5 ms to p99.
Results go to bench/results/outbox_upload.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.medias_service.processing.support import image_bytes  # noqa: E402
from tests.medias_service.support import multipart_body, multipart_headers  # noqa: E402
from tests.support import databases  # noqa: E402
from tests.support.servers import free_port, spawn_service  # noqa: E402

PASSWORD = "Velvet-Orbit-Canyon-42"


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(fraction: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)

    return {"p50": round(statistics.median(ordered), 2), "p90": at(0.9), "p99": at(0.99), "max": round(ordered[-1], 2)}


def server_durations(log: str) -> list[float]:
    durations = []
    for line in log.splitlines():
        if '"POST"' in line and '"/api/v1/media"' in line and '"request"' in line:
            found = re.search(r'"duration_ms":\s*([0-9.]+)', line)
            if found:
                durations.append(float(found.group(1)))
    return durations


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=400, help="per variant")
    args = parser.parse_args()
    with (
        databases.migrated("main", "bench_main") as main_url,
        databases.migrated("medias", "bench_medias") as medias_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        result = run(Path(tmp), main_url, medias_url, args.uploads)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "outbox_upload.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


def run(tmp: Path, main_db_url: str, medias_db_url: str, uploads: int) -> dict:
    ports = {name: free_port() for name in ("main", "auth", "outbox", "no_outbox")}
    secret = uuid.uuid4().hex * 2
    common = {
        "APP_DATA_DIR": str(tmp / "data"),
        "APP_LOG_LEVEL": "INFO",
        "APP_LOG_JSON": "true",
        "JWT_JWKS_URL": f"http://127.0.0.1:{ports['auth']}/.well-known/jwks.json",
    }
    main_env = {**common, "MAIN_DB_URL": main_db_url, "MAIN_HTTP_PORT": str(ports["main"])}
    auth_env = {
        **common,
        "AUTH_HTTP_PORT": str(ports["auth"]),
        "AUTH_MAIN_URL": f"http://127.0.0.1:{ports['main']}",
        "AUTH_SERVICE_CLIENTS": f"medias_service:{secret}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "AUTH_RATE_KEY_PREFIX": f"qhitz-bench-{uuid.uuid4().hex[:8]}",
        "AUTH_RATE_LOGIN_IP": "100000/minute",
        "AUTH_RATE_REGISTER_IP": "100000/minute",
    }
    medias_env = {
        **common,
        "MEDIAS_DB_URL": medias_db_url,
        "MEDIAS_MAIN_URL": f"http://127.0.0.1:{ports['main']}",
        "MEDIAS_STORAGE_LOCAL_ROOT": str(tmp / "media"),
        "SERVICE_AUTH_URL": f"http://127.0.0.1:{ports['auth']}",
        "SERVICE_CLIENT_ID": "medias_service",
        "SERVICE_CLIENT_SECRET": secret,
        "AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/",  # as deployed; nothing connects without a relay
    }
    with_outbox = {**medias_env, "MEDIAS_HTTP_PORT": str(ports["outbox"])}
    without = {**medias_env, "MEDIAS_HTTP_PORT": str(ports["no_outbox"]), "MEDIAS_PROCESSING_ENABLED": "false"}
    base = image_bytes(320, 240)
    with (
        spawn_service("main_service.main", main_env, ports["main"], tmp),
        spawn_service("auth_service.main", auth_env, ports["auth"], tmp) as auth,
        spawn_service("medias_service.main", with_outbox, ports["outbox"], tmp) as outbox,
        spawn_service("medias_service.main", without, ports["no_outbox"], tmp) as plain,
        httpx.Client(timeout=30) as http,
    ):
        suffix = uuid.uuid4().hex[:10]
        account = {"email": f"bench{suffix}@example.com", "username": f"bench{suffix}", "password": PASSWORD}
        http.post(f"{auth.url}/api/v1/auth/register", json=account).raise_for_status()
        token = http.post(f"{auth.url}/api/v1/auth/login", json=account).raise_for_status().json()["access_token"]
        headers = multipart_headers(token)
        variants = {"outbox": outbox, "no_outbox": plain}
        client_ms: dict[str, list[float]] = {name: [] for name in variants}

        def post(name: str, number: int) -> float:
            body = multipart_body((f"{number}.jpg", "image/jpeg", base + uuid.uuid4().bytes))  # distinct bytes
            started = time.perf_counter()
            response = http.post(f"{variants[name].url}/api/v1/media", content=body, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 201, response.text
            return elapsed

        for number in range(30):  # warm-up: connections, JWKS, limits cache, service token, code paths
            for name in variants:
                post(name, number)
        skip = {name: len(server_durations(process.logs())) for name, process in variants.items()}
        for number in range(uploads):
            order = list(variants) if number % 2 == 0 else list(reversed(variants))
            for name in order:
                client_ms[name].append(post(name, number))
        server_ms = {name: server_durations(process.logs())[skip[name] :] for name, process in variants.items()}
    client = {name: percentiles(values) for name, values in client_ms.items()}
    server = {name: percentiles(values) for name, values in server_ms.items() if values}
    added_client = round(client["outbox"]["p99"] - client["no_outbox"]["p99"], 2)
    added_server = round(server["outbox"]["p99"] - server["no_outbox"]["p99"], 2) if len(server) == 2 else None
    added_p50 = round(client["outbox"]["p50"] - client["no_outbox"]["p50"], 2)
    return {
        "cpus": os.cpu_count(),
        "uploads_per_variant": uploads,
        "upload_bytes": len(base) + 16,
        "client_ms": client,
        "server_ms": server,
        "p99_added_by_outbox_ms": {"client": added_client, "server": added_server},
        "p50_added_by_outbox_ms": added_p50,
        "target_met": max(added_client, added_server or added_client) <= 5,
    }


if __name__ == "__main__":
    sys.exit(main())
