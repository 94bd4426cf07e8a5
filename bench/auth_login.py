"""Benchmark (not a test): login latency against one argon2 verification, and auth_service's load from main_service.

    uv run python bench/auth_login.py [--logins 60] [--requests 300]

Starts a throw-away PostgreSQL database (like the tests), main_service and auth_service as real processes on
loopback, with the configured argon2 parameters (ARGON2_* or the defaults: OWASP's minimum). It then measures:

1. Login p50 next to the p50 of one argon2 verification with the same parameters, interleaved in one run on the
   same machine (target: login p50 <= verify p50 + 15 ms).
2. How many requests reach auth_service while main_service serves N authenticated requests with a warm JWKS
   cache, counted from auth_service's Prometheus counters (target: zero).

Results are printed and written to bench/results/auth_login.json.
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

import argon2
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auth_service.domain.limits import RateRule  # noqa: E402
from qhitz_shared.passwords import Argon2Settings  # noqa: E402
from qhitz_shared.settings import from_env  # noqa: E402
from tests.support import databases  # noqa: E402
from tests.support.servers import free_port, spawn_service  # noqa: E402

PASSWORD = "Velvet-Orbit-Canyon-42"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def auth_request_count(auth_url: str) -> float:
    text = httpx.get(f"{auth_url}/metrics", timeout=5).text
    return sum(
        float(m.group(1)) for m in re.finditer(r"^auth_service_requests_total\{[^}]*\} ([0-9.e+]+)$", text, re.M)
    )


def _field(line: str, name: str) -> str | None:
    match = re.search(rf"""["']{name}["']: ["']?([^"',}}]+)""", line)
    return match.group(1) if match else None


def server_side_breakdown(*logs: str) -> dict[str, float]:
    """Median server-side duration per service and path, from the access log lines (where the time goes)."""
    durations: dict[str, list[float]] = {}
    for text in logs:
        for line in text.splitlines():
            if _field(line, "event") != "request" or _field(line, "duration_ms") is None:
                continue
            path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "{id}", _field(line, "path") or "?")
            name = f"{_field(line, 'service')} {_field(line, 'method')} {path}"
            durations.setdefault(name, []).append(float(_field(line, "duration_ms") or 0))
    return {name: round(statistics.median(values), 2) for name, values in sorted(durations.items()) if len(values) > 3}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logins", type=int, default=60)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    argon = from_env(Argon2Settings, "ARGON2_")
    hasher = argon2.PasswordHasher(
        time_cost=argon.time_cost, memory_cost=argon.memory_kib, parallelism=argon.parallelism, type=argon2.Type.ID
    )
    reference_hash = hasher.hash(PASSWORD)

    database = databases.create_database("bench")
    try:
        db_url = databases.async_url(database)
        databases.migrate("main", db_url)
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            main_port, auth_port = free_port(), free_port()
            common = {
                "APP_DATA_DIR": str(tmp_path / "data"),
                "APP_LOG_LEVEL": "INFO",
                "PYTHONUNBUFFERED": "1",
                "JWT_JWKS_URL": f"http://127.0.0.1:{auth_port}/.well-known/jwks.json",
            }
            main_env = {**common, "MAIN_DB_URL": db_url, "MAIN_HTTP_PORT": str(main_port)}
            auth_env = {
                **common,
                "AUTH_HTTP_PORT": str(auth_port),
                "AUTH_MAIN_URL": f"http://127.0.0.1:{main_port}",
                "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
                "AUTH_RATE_KEY_PREFIX": f"qhitz-bench-{uuid.uuid4().hex[:8]}",
                # every limit out of the way (per IP and per account: one account logs in --logins times), but
                # still enforced, so the limiter's cost stays in the figures; a rule added later is raised too
                **{f"AUTH_RATE_{str(rule).upper()}": "100000/minute" for rule in RateRule},
            }
            with (
                spawn_service("main_service.main", main_env, main_port, tmp_path) as main_proc,
                spawn_service("auth_service.main", auth_env, auth_port, tmp_path) as auth_proc,
                httpx.Client(timeout=30) as http,
            ):
                suffix = uuid.uuid4().hex[:10]
                login_body = {"email": f"bench{suffix}@example.com", "password": PASSWORD}
                registered = http.post(
                    f"{auth_proc.url}/api/v1/auth/register", json={**login_body, "username": f"bench{suffix}"}
                )
                registered.raise_for_status()

                for _ in range(5):  # warm connections, JIT-free but caches and pools
                    http.post(f"{auth_proc.url}/api/v1/auth/login", json=login_body).raise_for_status()
                    hasher.verify(reference_hash, PASSWORD)

                logins: list[float] = []
                verifies: list[float] = []
                for _ in range(args.logins):
                    started = time.perf_counter()
                    response = http.post(f"{auth_proc.url}/api/v1/auth/login", json=login_body)
                    logins.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                    started = time.perf_counter()
                    hasher.verify(reference_hash, PASSWORD)
                    verifies.append((time.perf_counter() - started) * 1000)
                token = response.json()["access_token"]

                headers = {"Authorization": f"Bearer {token}"}
                http.get(f"{main_proc.url}/api/v1/users/me", headers=headers).raise_for_status()  # warms the JWKS
                before = auth_request_count(auth_proc.url)
                for _ in range(args.requests):
                    http.get(f"{main_proc.url}/api/v1/users/me", headers=headers).raise_for_status()
                after = auth_request_count(auth_proc.url)
                breakdown = server_side_breakdown(main_proc.logs(), auth_proc.logs())
    finally:
        databases.drop_database(database)

    login_p50, verify_p50 = statistics.median(logins), statistics.median(verifies)
    result = {
        "argon2": {"time_cost": argon.time_cost, "memory_kib": argon.memory_kib, "parallelism": argon.parallelism},
        "cpus": os.cpu_count(),
        "logins": args.logins,
        "login_ms": {"p50": round(login_p50, 2), "p90": round(percentile(logins, 0.9), 2)},
        "argon2_verify_ms": {"p50": round(verify_p50, 2), "p90": round(percentile(verifies, 0.9), 2)},
        "login_minus_verify_p50_ms": round(login_p50 - verify_p50, 2),
        "login_target_met": login_p50 <= verify_p50 + 15,
        "server_side_p50_ms": breakdown,
        "main_requests": args.requests,
        "requests_reaching_auth_during_them": after - before,
        "zero_auth_requests_target_met": after - before == 0,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "auth_login.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
