"""Benchmark (not a test): POST /api/v1/auth/password-reset answers alike, in the same time, for known and unknown
addresses (no account enumeration).

    uv run python bench/password_reset_timing.py [--requests 200] [--pause-ms 30]

Starts a throw-away PostgreSQL database (like the tests), main_service (mail written as .eml files to a temporary
folder) and auth_service as real processes on loopback, registers one account, then sends --requests reset
requests alternating between its address and unknown ones, each timed on the client. Between requests it waits
--pause-ms, so that the mail work of one request (done by main's mail-requests loop after the answer) is not
measured in the next one's.
Reports the median and p90 of each kind, the ratio of the medians (target: between 0.9 and 1.1), whether every
answer had the same status and body, and how many mails were written (known address only). Printed and written to
bench/results/password_reset_timing.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auth_service.domain.limits import RateRule  # noqa: E402
from tests.support import databases  # noqa: E402
from tests.support.servers import free_port, spawn_service  # noqa: E402

PASSWORD = "Velvet-Orbit-Canyon-42"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="reset requests, half of them per kind")
    parser.add_argument("--pause-ms", type=float, default=30.0, help="wait between two requests")
    args = parser.parse_args()

    database = databases.create_database("bench")
    try:
        db_url = databases.async_url(database)
        databases.migrate("main", db_url)
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            mail_folder = tmp_path / "mail"
            main_port, auth_port = free_port(), free_port()
            common = {
                "APP_DATA_DIR": str(tmp_path / "data"),
                "PYTHONUNBUFFERED": "1",
                "JWT_JWKS_URL": f"http://127.0.0.1:{auth_port}/.well-known/jwks.json",
            }
            main_env = {
                **common,
                "MAIN_DB_URL": db_url,
                "MAIN_HTTP_PORT": str(main_port),
                "MAIL_FILE_FOLDER": str(mail_folder),
            }
            auth_env = {
                **common,
                "AUTH_HTTP_PORT": str(auth_port),
                "AUTH_MAIN_URL": f"http://127.0.0.1:{main_port}",
                "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
                "AUTH_RATE_KEY_PREFIX": f"qhitz-bench-{uuid.uuid4().hex[:8]}",
                # limits out of the way but still enforced, so the limiter's cost is in the figures
                **{f"AUTH_RATE_{str(rule).upper()}": "100000/minute" for rule in RateRule},
            }
            with (
                spawn_service("main_service.main", main_env, main_port, tmp_path),
                spawn_service("auth_service.main", auth_env, auth_port, tmp_path) as auth_proc,
                httpx.Client(base_url=auth_proc.url, timeout=30) as http,
            ):
                suffix = uuid.uuid4().hex[:10]
                known = f"bench{suffix}@example.com"
                http.post(
                    "/api/v1/auth/register", json={"email": known, "username": f"bench{suffix}", "password": PASSWORD}
                ).raise_for_status()
                for _ in range(3):  # warm connections and caches on both paths
                    http.post("/api/v1/auth/password-reset", json={"email": f"warm{uuid.uuid4().hex}@example.com"})
                times: dict[str, list[float]] = {"known": [], "unknown": []}
                answers: set[tuple[int, bytes]] = set()
                for index in range(args.requests):
                    kind = "known" if index % 2 == 0 else "unknown"
                    address = known if kind == "known" else f"nobody{uuid.uuid4().hex[:10]}@example.com"
                    started = time.perf_counter()
                    response = http.post("/api/v1/auth/password-reset", json={"email": address})
                    times[kind].append((time.perf_counter() - started) * 1000)
                    answers.add((response.status_code, response.content))
                    time.sleep(args.pause_ms / 1000)
                time.sleep(1.0)  # the last mails leave through the outbox relay
                mails = len(list(mail_folder.glob("*.eml")))
    finally:
        databases.drop_database(database)

    known_p50, unknown_p50 = statistics.median(times["known"]), statistics.median(times["unknown"])
    ratio = known_p50 / unknown_p50
    result = {
        "cpus": os.cpu_count(),
        "requests_per_kind": {kind: len(values) for kind, values in times.items()},
        "known_ms": {"p50": round(known_p50, 2), "p90": round(percentile(times["known"], 0.9), 2)},
        "unknown_ms": {"p50": round(unknown_p50, 2), "p90": round(percentile(times["unknown"], 0.9), 2)},
        "known_over_unknown_p50": round(ratio, 3),
        "ratio_target_met": 0.9 <= ratio <= 1.1,
        "distinct_answers": len(answers),
        "answers_identical": len(answers) == 1,
        "answer": {"status": next(iter(answers))[0], "body": next(iter(answers))[1].decode()} if answers else None,
        "mails_written": mails,  # the known account's: the registration's verification and the resets (3 per 30 min)
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "password_reset_timing.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if result["answers_identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
