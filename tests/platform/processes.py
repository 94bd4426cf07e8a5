"""The platform as real processes (`python -m <service>`) on loopback ports, wired as compose wires it.

Each service can run several replicas; replicas of auth share one signing key (a PEM file, AUTH_SIGNING_KEYS),
replicas of medias share their database and storage folder. Only the services that exist in the tree start.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from deploy import catalog
from qhitz_shared.tokens import SigningKey
from tests.support import databases
from tests.support.servers import ROOT, free_port, wait_healthy

CHEAP_ARGON2 = {"ARGON2_MEMORY_KIB": "1024", "ARGON2_TIME_COST": "1"}
GENEROUS_LIMITS = {
    f"AUTH_RATE_{rule}_{scope}": "10000/minute"
    for rule in ("LOGIN", "REGISTER", "REFRESH", "PASSWORD")
    for scope in ("IP", "ACCOUNT")
}


@dataclass
class Running:
    urls: dict[str, list[str]] = field(default_factory=dict)  # service name -> one URL per replica
    logs: list[Path] = field(default_factory=list)

    def addresses(self, name: str) -> list[str]:
        return [url.removeprefix("http://") for url in self.urls.get(name, [])]

    def output(self) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}" for path in self.logs)


@contextmanager
def run_platform(
    workdir: Path, *, main_db_url: str, medias_db_url: str | None, replicas: int = 1, broker: str | None = None
) -> Iterator[Running]:
    """Every existing service, ``replicas`` times, against the given databases, Redis and (optionally) RabbitMQ."""
    ports = {service.name: [free_port() for _ in range(replicas)] for service in catalog.HTTP_SERVICES}
    url = {name: [f"http://127.0.0.1:{port}" for port in replica_ports] for name, replica_ports in ports.items()}
    studio_db_url = f"sqlite+aiosqlite:///{workdir / 'data' / 'studio.db'}"
    if catalog.STUDIO.exists:
        (workdir / "data").mkdir(parents=True, exist_ok=True)
        databases.migrate("studio", studio_db_url)
    key_file = workdir / "signing-key.pem"
    key_file.write_bytes(SigningKey.generate().to_pem())
    secret = f"secret-{uuid.uuid4().hex}"
    common = {
        **CHEAP_ARGON2,
        "APP_DATA_DIR": str(workdir / "data"),
        "APP_LOG_JSON": "true",
        "JWT_JWKS_URL": f"{url['auth'][0]}/.well-known/jwks.json",
        "JWT_LEEWAY_SECONDS": "0",
        # one REDIS_URL for every service, as in the compose files: main publishes revocations where they listen
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "REVOCATION_CHANNEL": f"qhitz-test-{uuid.uuid4().hex[:10]}",
        "REVOCATION_EXCHANGE": f"qhitz-test-revocations-{uuid.uuid4().hex[:10]}",
    }
    if broker:
        common["AMQP_URL"] = broker
        common["AMQP_PREFIX"] = f"qhitz-test-{uuid.uuid4().hex[:10]}"  # a topology of its own, deleted after

    def environment(name: str, replica: int) -> dict[str, str]:
        own = {
            "main": {"MAIN_DB_URL": main_db_url, "MAIN_HTTP_PORT": str(ports["main"][replica])},
            "auth": {
                **GENEROUS_LIMITS,
                "AUTH_HTTP_PORT": str(ports["auth"][replica]),
                "AUTH_MAIN_URL": url["main"][replica],
                "AUTH_SIGNING_KEYS": str(key_file),
                "AUTH_SERVICE_CLIENTS": ",".join(
                    f"{client}:{secret}"
                    for client in ("medias_service", "dental_service", "chat_service", "studio_service")
                ),
                "AUTH_RATE_KEY_PREFIX": f"qhitz-test-{uuid.uuid4().hex[:8]}",
            },
            "medias": {
                "MEDIAS_HTTP_PORT": str(ports["medias"][replica]),
                "MEDIAS_DB_URL": medias_db_url or "",
                "MEDIAS_MAIN_URL": url["main"][replica],
                "MEDIAS_STORAGE_LOCAL_ROOT": str(workdir / "media"),
                "SERVICE_AUTH_URL": url["auth"][replica],
                "SERVICE_CLIENT_ID": "medias_service",
                "SERVICE_CLIENT_SECRET": secret,
            },
            "dental": {
                "DENTAL_HTTP_PORT": str(ports["dental"][replica]),
                "DENTAL_DB_URL": dental_db_url,
                "REVOCATION_MAIN_URL": url["main"][replica],
                "SERVICE_AUTH_URL": url["auth"][replica],
                "SERVICE_CLIENT_ID": "dental_service",
                "SERVICE_CLIENT_SECRET": secret,
            },
            "chat": {
                "CHAT_HTTP_PORT": str(ports["chat"][replica]),
                "CHAT_DB_URL": chat_db_url,
                "CHAT_MAIN_URL": url["main"][replica],
                "CHAT_MEDIAS_URL": url["medias"][replica],
                "CHAT_REALTIME_CHANNEL_PREFIX": f"qhitz-test-chat-{uuid.uuid4().hex[:10]}:",
                "SERVICE_AUTH_URL": url["auth"][replica],
                "SERVICE_CLIENT_ID": "chat_service",
                "SERVICE_CLIENT_SECRET": secret,
            },
            "studio": {
                "STUDIO_HTTP_PORT": str(ports["studio"][replica]),
                "STUDIO_DB_URL": studio_db_url,
                "STUDIO_MAIN_URL": url["main"][replica],
                "STUDIO_MEDIAS_URL": url["medias"][replica],
                "SERVICE_AUTH_URL": url["auth"][replica],
                "SERVICE_CLIENT_ID": "studio_service",
                "SERVICE_CLIENT_SECRET": secret,
            },
        }
        return {**os.environ, **common, **own[name]}

    # dentaldb and chatdb: embedded SQLite files migrated here (the flow does not need PostgreSQL for them)
    dental_db_url = f"sqlite+aiosqlite:///{workdir}/dental.db"
    if catalog.DENTAL.exists:
        databases.migrate("dental", dental_db_url)
    chat_db_url = f"sqlite+aiosqlite:///{workdir}/chat.db"
    if catalog.CHAT.exists:
        databases.migrate("chat", chat_db_url)
    running = Running()
    processes: list[subprocess.Popen] = []
    try:
        for service in catalog.HTTP_SERVICES:
            if not service.exists:
                continue
            running.urls[service.name] = url[service.name]
            for replica in range(replicas):
                log = workdir / f"{service.name}-{replica}.log"
                running.logs.append(log)
                with open(log, "wb") as out:
                    processes.append(
                        subprocess.Popen(
                            [sys.executable, "-m", service.module or ""],
                            cwd=ROOT,
                            env=environment(service.name, replica),
                            stdout=out,
                            stderr=subprocess.STDOUT,
                        )
                    )
        for process, base in zip(processes, [u for urls in running.urls.values() for u in urls], strict=True):
            try:
                wait_healthy(base, timeout=90, process=process)
            except (RuntimeError, TimeoutError) as exc:
                raise RuntimeError(f"{exc}\n{running.output()}") from exc
        if broker and catalog.WORKER.exists:  # the worker has no port: it runs with medias' environment
            log = workdir / "worker.log"
            running.logs.append(log)
            with open(log, "wb") as out:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", catalog.WORKER.module or ""],
                        cwd=ROOT,
                        env=environment("medias", 0),
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
        yield running
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if broker:
            delete_topology({**common, "MEDIAS_DB_URL": medias_db_url or ""})


def delete_topology(env: dict[str, str]) -> None:
    from medias_service.main.processing import topology_of
    from medias_service.main.settings import MediasSettings
    from tests.medias_service.processing.support import BrokerProbe

    settings = MediasSettings.from_env(env)
    asyncio.run(BrokerProbe(topology_of(settings.amqp, settings.processing), env["AMQP_URL"]).delete_all())
