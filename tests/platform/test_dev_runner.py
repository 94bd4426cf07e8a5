"""`make dev`'s runner (python -m deploy.dev) on embedded defaults: SQLite under APP_DATA_DIR, no broker, no Redis.

Every service that exists in the tree is started (auth and medias join as they land), each on a free port.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest

from deploy import catalog
from tests.support.servers import ROOT, free_port, wait_healthy

STARTED = re.compile(r"system \| (\w+) started \(pid=(\d+)\)")


def embedded_environment(data_dir: Path) -> tuple[dict[str, str], dict[str, int]]:
    """Our environment without any platform variable (so nothing points at PostgreSQL, RabbitMQ or Redis)."""
    platform = set(catalog.variables()) | {extra.name for extra in catalog.EXTRA_VARIABLES} | {"AMQP_URL"}
    env = {key: value for key, value in os.environ.items() if key not in platform}
    ports = {}
    for service in catalog.HTTP_SERVICES:
        variable = catalog.port_variable(service)
        if variable:
            ports[service.name] = free_port()
            env[variable] = str(ports[service.name])
    env.update(APP_DATA_DIR=str(data_dir), ARGON2_MEMORY_KIB="1024", ARGON2_TIME_COST="1")
    return env, ports


@contextmanager
def dev_runner(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "deploy.dev"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_for_line(log: Path, pattern: re.Pattern[str], process: subprocess.Popen, timeout: float = 30) -> re.Match:
    """The first line of the runner's log matching ``pattern``, once the runner has written it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = pattern.search(log.read_text(errors="replace"))
        if found:
            return found
        assert process.poll() is None, log.read_text()
        time.sleep(0.05)
    raise AssertionError(f"no {pattern.pattern!r} in the log after {timeout}s:\n{log.read_text()}")


def port_closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_dev_runner_serves_every_service_on_embedded_defaults_and_stops_on_sigterm(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env, ports = embedded_environment(data_dir)
    log = tmp_path / "dev.log"

    with dev_runner(env, log) as runner:
        for name, port in ports.items():
            wait_healthy(f"http://127.0.0.1:{port}", timeout=90, process=runner)
            ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=10)
            assert ready.status_code == 200, (name, ready.text)
        runner.send_signal(signal.SIGTERM)
        assert runner.wait(timeout=30) == 0, log.read_text()

    output = log.read_text()
    children = {name: int(pid) for name, pid in STARTED.findall(output)}
    assert set(children) == set(ports), output
    assert not [name for name, pid in children.items() if alive(pid)], output
    assert all(port_closed(port) for port in ports.values())
    # prefixed, interleaved output: every service wrote lines under its own name
    for name in ports:
        assert re.search(rf"^\S+ {name}\s+\| ", output, re.MULTILINE), output
    # embedded defaults: SQLite in the data folder, and a first admin whose generated password is printed once
    assert (data_dir / "main.db").is_file()
    assert output.count("admin password (shown once") == 1, output
    assert "worker not started: no AMQP_URL" in output or not catalog.WORKER.exists
    assert "\x1b[" not in output  # the log is a file, not a terminal: no colour codes


def test_a_service_killed_by_a_signal_ends_the_runner_with_128_plus_the_signal(tmp_path: Path) -> None:
    """make reported "Error 241" (honcho's -15 as an exit status); a shell says 143 for SIGTERM, 137 for SIGKILL."""
    env, ports = embedded_environment(tmp_path / "data")
    env["DEV_SERVICES"] = "main"
    log = tmp_path / "dev.log"
    with dev_runner(env, log) as runner:
        wait_healthy(f"http://127.0.0.1:{ports['main']}", timeout=90, process=runner)
        pid = int(wait_for_line(log, re.compile(r"main started \(pid=(\d+)\)"), runner).group(1))
        os.kill(pid, signal.SIGKILL)
        assert runner.wait(timeout=30) == 128 + signal.SIGKILL, log.read_text()
    assert "killed by SIGKILL" in log.read_text()


def test_dev_runner_second_start_keeps_the_admin_and_prints_no_password(tmp_path: Path) -> None:
    env, ports = embedded_environment(tmp_path / "data")
    env["DEV_SERVICES"] = "main"
    env["ADMIN_EMAIL"] = "boss@example.com"
    for attempt in ("first", "second"):
        log = tmp_path / f"{attempt}.log"
        with dev_runner(env, log) as runner:
            wait_healthy(f"http://127.0.0.1:{ports['main']}", timeout=90, process=runner)
            runner.send_signal(signal.SIGINT)
            assert runner.wait(timeout=30) == 0
    first, second = (tmp_path / "first.log").read_text(), (tmp_path / "second.log").read_text()
    assert "admin boss@example.com created" in first
    assert "admin password (shown once" in first
    assert "admin boss@example.com is ready" in second
    assert "admin password" not in second
    assert "auth started" not in second  # DEV_SERVICES limits what starts


@pytest.mark.parametrize("service", catalog.HTTP_SERVICES, ids=lambda service: service.name)
def test_ports_follow_their_variables_into_the_other_services_addresses(service: catalog.Service) -> None:
    if not service.exists:
        pytest.skip(service.not_built)
    from deploy.dev import DOC_PAGE_CORS, environment

    variable = catalog.port_variable(service)
    assert variable is not None
    env = environment({variable: "45999"})
    # DOC_PAGE_CORS follows too, but names the pages' origins, not an address to call (tested below)
    moved = [name for name, value in env.items() if "127.0.0.1:45999" in value]
    pointing = [name for name in moved if name not in (variable, DOC_PAGE_CORS)]
    documented = f"127.0.0.1:{service.port}"
    expected = [name for name, var in catalog.variables().items() if documented in var.default]
    assert sorted(pointing) == sorted(expected)
    assert not [name for name in expected if documented in env[name]]


def test_auth_lets_the_doc_pages_of_the_other_services_log_in_unless_told_otherwise() -> None:
    from deploy.dev import DOC_PAGE_CORS, environment

    origins = environment({}).get(DOC_PAGE_CORS, "").split(",")
    for service in (catalog.MAIN, catalog.MEDIAS):
        if service.exists:
            assert {f"http://127.0.0.1:{service.port}", f"http://localhost:{service.port}"} <= set(origins)
    assert not [origin for origin in origins if origin.endswith(f":{catalog.AUTH.port}")]
    moved = environment({"MAIN_HTTP_PORT": "45998"})[DOC_PAGE_CORS]
    assert "http://127.0.0.1:45998" in moved.split(",")
    assert environment({DOC_PAGE_CORS: "https://docs.example.com"})[DOC_PAGE_CORS] == "https://docs.example.com"


def test_the_same_command_uses_configured_databases(tmp_path: Path) -> None:
    """With MAIN_DB_URL / MEDIAS_DB_URL (and REDIS_URL) set, the runner migrates and serves from those servers."""
    from tests.support import databases

    names = {"main": databases.create_database("devmain"), "medias": databases.create_database("devmedias")}
    try:
        env, ports = embedded_environment(tmp_path / "data")
        env.update(
            MAIN_DB_URL=databases.async_url(names["main"]),
            MEDIAS_DB_URL=databases.async_url(names["medias"]),
            REDIS_URL="redis://127.0.0.1:6379/0",
            ADMIN_EMAIL="ops@example.com",
        )
        with dev_runner(env, tmp_path / "dev.log") as runner:
            for name, port in ports.items():
                wait_healthy(f"http://127.0.0.1:{port}", timeout=90, process=runner)
                assert httpx.get(f"http://127.0.0.1:{port}/ready", timeout=10).status_code == 200, name
            runner.send_signal(signal.SIGTERM)
            assert runner.wait(timeout=30) == 0

        async def migrated() -> dict[str, object]:
            found: dict[str, object] = {}
            for owner, name in names.items():
                connection = await asyncpg.connect(databases.async_url(name).replace("+asyncpg", ""))
                try:
                    found[owner] = await connection.fetchval("SELECT version_num FROM alembic_version")
                    if owner == "main":
                        found["admin"] = await connection.fetchval(
                            "SELECT email FROM users WHERE email = 'ops@example.com'"
                        )
                finally:
                    await connection.close()
            return found

        found = asyncio.run(migrated())
        assert found["main"] and found["admin"] == "ops@example.com"
        assert found["medias"] or not catalog.MEDIAS.exists
        assert not (tmp_path / "data" / "main.db").exists()
    finally:
        for name in names.values():
            databases.drop_database(name)
