"""chat_service as it runs in production: replicas as their own processes (python -m chat_service.main) on
chatdb and a Redis, behind the nginx gateway, with the real main_service and auth_service (service tokens, user
tokens, the directory) on loopback."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.chat_service.conftest import User, directory_user
from tests.platform.gateway import Gateway, running_gateway
from tests.support.keys import TokenFactory
from tests.support.platform import Platform, run_platform
from tests.support.servers import ServiceProcess, free_port, spawn_service


@dataclass
class Cluster:
    platform: Platform
    replicas: list[ServiceProcess]
    gateway: Gateway | None
    tokens: TokenFactory

    @property
    def url(self) -> str:
        """Where clients go: the gateway when there is one."""
        return self.gateway.url if self.gateway else self.replicas[0].url

    def user(self, ttl: int = 900) -> User:
        """A user registered in main_service's directory, with an access token signed by auth_service's key."""
        return directory_user(self.platform.main_url, self.tokens, ttl)


def replica_env(platform: Platform, db_url: str, redis_url: str, port: int, secret: str, prefix: str) -> dict[str, str]:
    return {
        "APP_ENV": "development",
        "APP_DATA_DIR": str(platform.data_dir),
        "APP_LOG_JSON": "false",
        "CHAT_HTTP_PORT": str(port),
        "CHAT_DB_URL": db_url,
        "CHAT_MAIN_URL": platform.main_url,
        "CHAT_MEDIAS_URL": "http://127.0.0.1:9",
        "REDIS_URL": redis_url,
        "REVOCATION_REDIS_URL": "redis://127.0.0.1:6379/0",  # where the platform's main_service publishes
        "CHAT_REALTIME_CHANNEL_PREFIX": prefix,
        "JWT_JWKS_URL": platform.jwt.jwks_url,
        "JWT_LEEWAY_SECONDS": "0",
        "SERVICE_AUTH_URL": platform.auth_url,
        "SERVICE_CLIENT_ID": "chat_service",
        "SERVICE_CLIENT_SECRET": secret,
    }


@contextmanager
def chat_cluster(
    db_url: str, main_db_url: str, data_dir: Path, *, redis_url: str, replicas: int = 2, gateway: bool = True
) -> Iterator[Cluster]:
    secret = f"chat-secret-{uuid.uuid4().hex}"
    prefix = f"qhitz-test-{uuid.uuid4().hex[:8]}:"
    auth_env = {"AUTH_SERVICE_CLIENTS": f"chat_service:{secret}"}
    with ExitStack() as stack:
        platform = stack.enter_context(run_platform(main_db_url, data_dir, auth_env=auth_env))
        # the key auth_service made at start, once its JWKS answers
        httpx.get(platform.jwt.jwks_url, timeout=10).raise_for_status()
        key = platform.signing_key()
        processes = []
        for _ in range(replicas):
            port = free_port()
            env = replica_env(platform, db_url, redis_url, port, secret, prefix)
            processes.append(stack.enter_context(spawn_service("chat_service.main", env, port, data_dir)))
        front = None
        if gateway:
            addresses = {"chat": [process.url.removeprefix("http://") for process in processes]}
            front = stack.enter_context(running_gateway(addresses, data_dir / "gateway"))
        yield Cluster(platform, processes, front, TokenFactory(key, platform.jwt))
