"""`python -m auth_service.main` as a real process: dev key generation, request ids passed to main_service,
and the production refusal of a missing key."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable

import httpx

from tests.support.servers import ROOT, free_port, spawn_service

CHEAP = {"ARGON2_MEMORY_KIB": "1024", "ARGON2_TIME_COST": "1"}


def test_both_services_as_processes_pass_the_request_id(main_db_url, tmp_path) -> None:
    main_port, auth_port = free_port(), free_port()
    data = tmp_path / "data"
    common = {**CHEAP, "APP_DATA_DIR": str(data), "JWT_JWKS_URL": f"http://127.0.0.1:{auth_port}/.well-known/jwks.json"}
    main_env = {**common, "MAIN_DB_URL": main_db_url, "MAIN_HTTP_PORT": str(main_port)}
    auth_env = {
        **common,
        "AUTH_HTTP_PORT": str(auth_port),
        "AUTH_MAIN_URL": f"http://127.0.0.1:{main_port}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "AUTH_RATE_KEY_PREFIX": f"qhitz-test-{uuid.uuid4().hex[:8]}",
    }
    with (
        spawn_service("main_service.main", main_env, main_port, tmp_path) as main,
        spawn_service("auth_service.main", auth_env, auth_port, tmp_path) as auth,
    ):
        key_file = data / "auth" / "signing-key.pem"
        assert key_file.exists()  # development: generated on first start
        assert oct(key_file.stat().st_mode & 0o777) == "0o600"
        suffix = uuid.uuid4().hex[:10]
        request_id = f"trace-{suffix}"
        registered = httpx.post(
            f"{auth.url}/api/v1/auth/register",
            json={"email": f"q{suffix}@example.com", "username": f"q{suffix}", "password": "Velvet-Orbit-Canyon-42"},
            headers={"X-Request-ID": request_id},
            timeout=10,
        )
        assert registered.status_code == 201, registered.text
        assert registered.headers["x-request-id"] == request_id
        me = httpx.get(
            f"{main.url}/api/v1/users/me",
            headers={"Authorization": f"Bearer {registered.json()['access_token']}"},
            timeout=10,
        )
        assert me.status_code == 200, me.text

        # main_service logged the internal calls auth_service made for that request under the same id (each
        # access line is written once its answer has gone out: wait for them)
        def traced(path: str) -> Callable[[str], bool]:
            return lambda logs: any(request_id in line and path in line for line in logs.splitlines())

        main.logs_once(traced("/internal/v1/users"))
        main.logs_once(traced("/internal/v1/sessions"))
        assert "Velvet-Orbit-Canyon-42" not in auth.logs() + main.logs()


def test_production_refuses_to_start_without_a_key(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "auth_service.main"],
        cwd=ROOT,
        env={**os.environ, "APP_ENV": "production", "APP_DATA_DIR": str(tmp_path), "AUTH_HTTP_PORT": str(free_port())},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "AUTH_SIGNING_KEYS" in result.stderr + result.stdout
    assert not (tmp_path / "auth").exists()  # nothing generated in production
